import type { IncomingMessage } from 'node:http';

/**
 * One request header, found in `rawHeaders`. Node builds `req.headers` on first use, a cost a
 * feature question otherwise never pays; the few headers the API reads are found here instead.
 * `name` is lower case. Node refuses a request with conflicting Content-Length headers, so the
 * first one found is the one.
 */
export function rawHeader(req: IncomingMessage, name: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i];
    if (key?.length === name.length && key.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}
