import type { IncomingMessage } from 'node:http';
import { apiError, type ApiError } from './api-errors.js';

/** A local API request body is a small JSON object; anything near this is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

export type JsonBody =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ApiError };

/**
 * Reads a JSON body, bounded: an over-long body is refused as soon as it is known to be, without
 * buffering it (the 413 then closes the connection). An empty body reads as `{}`. A client that
 * goes away mid-body is an expected outcome, not an error of the agent's.
 */
export function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.resolve(tooLarge(req));
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    req.resume();
    return Promise.resolve({
      ok: false,
      error: apiError('unsupported_media_type', 'send application/json'),
    });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: JsonBody) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) done(tooLarge(req));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      const text =
        chunks.length === 1 ? (chunks[0] ?? '').toString() : Buffer.concat(chunks).toString('utf8');
      done(parse(text));
    };
    const onError = () => {
      done({ ok: false, error: apiError('bad_request', 'the request ended before its body') });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

function parse(text: string): JsonBody {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: apiError('bad_request', 'the body is not valid JSON') };
  }
}

function tooLarge(req: IncomingMessage): JsonBody {
  // Stop reading; the 413 closes the connection (reply.ts), so the rest is never buffered.
  req.pause();
  return {
    ok: false,
    error: apiError('payload_too_large', `the body exceeds ${String(MAX_BODY_BYTES)} bytes`),
  };
}
