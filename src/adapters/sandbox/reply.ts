import type { ApiError } from './errors.js';
import type { JsonValue } from './vendor-types.js';

/** One answer, as data: handlers build these and one function writes them to the socket. */
export interface Reply {
  readonly status: number;
  readonly body: JsonValue;
  /** License API 200s carry `LicenseSignature`; errors and the token endpoint do not. */
  readonly signed: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

export function ok(body: JsonValue): Reply {
  return { status: 200, body, signed: true };
}

export function errorReply(error: ApiError, headers?: Readonly<Record<string, string>>): Reply {
  const body = { status: error.status, code: error.code, message: error.message };
  return headers === undefined
    ? { status: error.status, body, signed: false }
    : { status: error.status, body, signed: false, headers };
}
