import type { IncomingMessage } from 'node:http';
import { apiError, type ApiError } from './api-errors.js';

/** A local API request body is a small JSON object; anything near this is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

export type BodyRead =
  { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly error: ApiError };

export type JsonBody =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ApiError };

/**
 * Reads a body declared as JSON, bounded, and hands it to `done` at most once: an over-long body
 * is refused as soon as it is known to be, without buffering it (the 413 then closes the
 * connection). A client that goes away mid-body is never called back: there is nobody left to
 * answer, and the request and its closures go with the socket.
 *
 * A callback rather than a promise: this is on the OFREP hot path, where a promise and its
 * microtask per request cost more than the rest of the answer.
 */
export function readJsonBytes(req: IncomingMessage, done: (body: BodyRead) => void): void {
  // req.headers, not a scan of rawHeaders: Node builds it for every HTTP/1.1 request anyway, to
  // look for `Expect`, so a lookup here costs a property read. A declared length over the limit
  // never gets here: requestHandler refuses it before routing.
  const declared = Number(req.headers['content-length'] ?? 0);
  const type = req.headers['content-type'];
  if (type !== undefined && !isJsonType(type)) {
    req.resume();
    done({ ok: false, error: apiError('unsupported_media_type', 'send application/json') });
    return;
  }
  let first: Buffer | null = null;
  let more: Buffer[] | null = null;
  let size = 0;
  let settled = false;
  const whole = (): void => {
    settled = true;
    done({ ok: true, bytes: more === null ? (first ?? EMPTY) : Buffer.concat(more) });
  };
  // A body of declared length is whole at its last byte ('end' comes a tick later); one without
  // (chunked, or none at all) is whole at 'end'.
  const sized = declared > 0 && req.headers['transfer-encoding'] === undefined;
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      settled = true;
      done(tooLarge(req));
      return;
    }
    if (first === null) first = chunk;
    else (more ??= [first]).push(chunk);
    if (sized && size === declared) whole();
  });
  if (!sized)
    req.on('end', () => {
      if (!settled) whole();
    });
}

const EMPTY = Buffer.alloc(0);

/** JSON text to a value; an empty body (or only whitespace) reads as `{}`. */
export function parseJsonBody(bytes: Buffer): JsonBody {
  const text = bytes.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // Only a body that is not JSON pays for asking whether it was empty.
    if (text.trim() === '') return { ok: true, value: {} };
    return { ok: false, error: apiError('bad_request', 'the body is not valid JSON') };
  }
}

/** `application/json`, or any `application/…+json`, with or without parameters. */
export function isJsonType(type: string | undefined): boolean {
  if (type === undefined) return false;
  // What clients send, asked first: a regular expression costs more than the rest of the check.
  return type === 'application/json' || /^application\/(?:[\w.+-]+\+)?json\b/i.test(type);
}

function tooLarge(req: IncomingMessage): BodyRead {
  // Stop reading; the 413 closes the connection (reply.ts), so the rest is never buffered.
  req.pause();
  return {
    ok: false,
    error: apiError('payload_too_large', `the body exceeds ${String(MAX_BODY_BYTES)} bytes`),
  };
}
