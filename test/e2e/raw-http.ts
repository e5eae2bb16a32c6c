import { connect, type Socket } from 'node:net';

/** Where the local API listens: TCP, or the Unix socket. */
export type Endpoint = { readonly port: number } | { readonly path: string };

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface RawExchange {
  /** Every complete response, interim 1xx left out. */
  readonly responses: readonly RawResponse[];
  /** Bytes after the last complete response: an answer cut short, or not HTTP at all. */
  readonly leftover: Buffer;
  /** How the connection ended: closed by the server, reset, or still open at our deadline. */
  readonly end: 'closed' | 'reset' | 'timeout';
  readonly ms: number;
}

/**
 * Bytes that need not be HTTP: sends them over a fresh connection, then either half-closes (the
 * server still answers, then closes) or resets it, and reads what comes back until the server
 * closes or the deadline passes.
 */
export function exchange(
  endpoint: Endpoint,
  bytes: Buffer,
  options: { readonly finish: 'end' | 'reset'; readonly timeoutMs: number },
): Promise<RawExchange> {
  return session(endpoint, options.timeoutMs, (socket) => {
    if (options.finish === 'end') socket.end(bytes);
    // Only TCP has a reset; a Unix socket is just closed.
    else
      socket.write(bytes, () => ('port' in endpoint ? socket.resetAndDestroy() : socket.destroy()));
  });
}

/** A slow sender: one byte every `intervalMs`, until the server gives up on it or we do. */
export function trickle(
  endpoint: Endpoint,
  bytes: Buffer,
  options: { readonly intervalMs: number; readonly timeoutMs: number },
): Promise<RawExchange> {
  return session(endpoint, options.timeoutMs, (socket) => {
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < bytes.length && socket.writable) socket.write(bytes.subarray(sent, ++sent));
    }, options.intervalMs);
    socket.once('close', () => {
      clearInterval(timer);
    });
  });
}

function session(
  endpoint: Endpoint,
  timeoutMs: number,
  start: (socket: Socket) => void,
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket =
      'port' in endpoint ? connect(endpoint.port, '127.0.0.1') : connect(endpoint.path);
    const chunks: Buffer[] = [];
    let end: RawExchange['end'] = 'closed';
    const deadline = setTimeout(() => {
      end = 'timeout';
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset is an answer too: the server may cut a request it will not read (413, 431).
    socket.on('error', () => {
      if (end === 'closed') end = 'reset';
    });
    socket.once('close', () => {
      clearTimeout(deadline);
      const { responses, leftover } = parseResponses(Buffer.concat(chunks));
      resolve({ responses, leftover, end, ms: performance.now() - started });
    });
    socket.once('connect', () => {
      start(socket);
    });
  });
}

/**
 * Splits what a server sent into HTTP/1.1 responses. Bodies are framed by Content-Length or
 * chunked encoding; without either, the body runs to the end of the connection.
 */
export function parseResponses(data: Buffer): { responses: RawResponse[]; leftover: Buffer } {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n', at);
    if (headEnd === -1) break;
    const [statusLine = '', ...lines] = data.subarray(at, headEnd).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
    if (status === undefined) break;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const body = readBody(data, headEnd + 4, headers);
    if (body === null) break;
    at = body.next;
    if (Number(status) >= 200)
      responses.push({ status: Number(status), headers, body: body.bytes });
  }
  return { responses, leftover: data.subarray(at) };
}

function readBody(
  data: Buffer,
  from: number,
  headers: Readonly<Record<string, string>>,
): { bytes: Buffer; next: number } | null {
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    let at = from;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', at);
      if (lineEnd === -1) return null;
      const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size) || data.length < lineEnd + 2 + size + 2) return null;
      if (size === 0) return { bytes: Buffer.concat(parts), next: lineEnd + 4 };
      parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers['content-length'];
  if (length === undefined) return { bytes: data.subarray(from), next: data.length };
  const next = from + Number(length);
  return next > data.length ? null : { bytes: data.subarray(from, next), next };
}
