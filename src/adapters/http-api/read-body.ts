import type { IncomingMessage } from 'node:http';
import { apiError, type ApiError } from './api-errors.js';

/** A local API request body is a small JSON object; anything near this is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

export type JsonBody =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ApiError };

/**
 * Reads a JSON body, bounded: an over-long body is refused as soon as it is known to be, without
 * buffering it. An empty body reads as `{}`.
 */
export async function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return tooLarge(req);
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    req.resume();
    return { ok: false, error: apiError('unsupported_media_type', 'send application/json') };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return tooLarge(req);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: apiError('bad_request', 'the body is not valid JSON') };
  }
}

function tooLarge(req: IncomingMessage): JsonBody {
  // Stop reading; the response closes the connection so the rest is never buffered.
  req.pause();
  return {
    ok: false,
    error: apiError('payload_too_large', `the body exceeds ${String(MAX_BODY_BYTES)} bytes`),
  };
}
