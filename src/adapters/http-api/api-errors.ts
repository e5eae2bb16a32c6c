/** Every way the local API says no, with one HTTP status each. Clients branch on `code`. */
export type ApiErrorCode =
  | 'not_found'
  | 'method_not_allowed'
  | 'not_ready'
  | 'unauthorized'
  | 'bad_request'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'expectation_failed'
  | 'sync_failed'
  | 'internal_error';

const statusOf: Readonly<Record<ApiErrorCode, number>> = {
  not_found: 404,
  method_not_allowed: 405,
  not_ready: 503,
  unauthorized: 401,
  bad_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  expectation_failed: 417,
  sync_failed: 502,
  internal_error: 500,
};

export interface ApiError {
  readonly status: number;
  readonly body: string;
}

export function apiError(code: ApiErrorCode, message: string): ApiError {
  return { status: statusOf[code], body: JSON.stringify({ error: { code, message } }) };
}
