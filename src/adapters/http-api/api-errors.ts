/** Every way the local API says no, with one HTTP status each. Clients branch on `code`. */
export type ApiErrorCode = 'not_found' | 'method_not_allowed' | 'not_ready' | 'internal_error';

const statusOf: Readonly<Record<ApiErrorCode, number>> = {
  not_found: 404,
  method_not_allowed: 405,
  not_ready: 503,
  internal_error: 500,
};

export function apiError(code: ApiErrorCode, message: string): { status: number; body: string } {
  return { status: statusOf[code], body: JSON.stringify({ error: { code, message } }) };
}
