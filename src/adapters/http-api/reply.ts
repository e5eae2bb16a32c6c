import type { ServerResponse } from 'node:http';
import type { ApiError } from './api-errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers?: Readonly<Record<string, string>>,
): void {
  const length = Buffer.byteLength(body);
  res.writeHead(
    status,
    // The common answer builds no object beyond its own two headers.
    headers === undefined
      ? { 'content-type': JSON_TYPE, 'content-length': length }
      : { 'content-type': JSON_TYPE, 'content-length': length, ...headers },
  );
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  error: ApiError,
  headers?: Readonly<Record<string, string>>,
): void {
  // After a 413 the rest of the body is still on the wire: the connection cannot be reused.
  const closing = error.status === 413 ? { connection: 'close' } : {};
  sendJson(res, error.status, error.body, { ...closing, ...headers });
}
