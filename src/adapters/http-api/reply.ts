import type { ServerResponse } from 'node:http';
import type { ApiError } from './api-errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  error: ApiError,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, error.status, error.body, headers);
}
