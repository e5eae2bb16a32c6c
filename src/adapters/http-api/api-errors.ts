import { isAgentError, type AgentErrorCode } from '../../domain/agent-error.js';

/** Every way the local API says no, with one HTTP status each. Clients branch on `code`. */
export type ApiErrorCode =
  | 'not_found'
  | 'method_not_allowed'
  | 'not_ready'
  | 'unauthorized'
  | 'misdirected_request'
  | 'cross_site_request'
  | 'bad_request'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'expectation_failed'
  | 'sync_failed'
  | 'stopping'
  | 'too_many_subscribers'
  | 'internal_error';

const statusOf: Readonly<Record<ApiErrorCode, number>> = {
  not_found: 404,
  method_not_allowed: 405,
  not_ready: 503,
  unauthorized: 401,
  // 421: the request came by a name this agent does not go by (DNS rebinding), not a lack of rights.
  misdirected_request: 421,
  cross_site_request: 403,
  bad_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  expectation_failed: 417,
  sync_failed: 502,
  stopping: 503,
  too_many_subscribers: 503,
  internal_error: 500,
};

export interface ApiError {
  readonly status: number;
  readonly body: string;
}

export function apiError(code: ApiErrorCode, message: string): ApiError {
  return { status: statusOf[code], body: JSON.stringify({ error: { code, message } }) };
}

/**
 * What the local API says when a route fails with one of the agent's own errors. Only a failure
 * a client can act on gets its own answer; the rest are the agent's fault, and say so as 500.
 */
const apiCodeOf: Readonly<Record<AgentErrorCode, ApiErrorCode>> = {
  agent_stopping: 'stopping',
  config_unreadable: 'internal_error',
  config_syntax: 'internal_error',
  config_invalid: 'internal_error',
  device_unidentifiable: 'internal_error',
  state_directory_unusable: 'internal_error',
  state_directory_locked: 'internal_error',
  device_secret_unreadable: 'internal_error',
  invalid_state: 'internal_error',
  listen_address_in_use: 'internal_error',
  listen_address_unavailable: 'internal_error',
  listen_not_permitted: 'internal_error',
  socket_group_unknown: 'internal_error',
};

/** The answer for an error a route threw: coded when the agent knows it, else a plain 500. */
export function apiErrorFor(error: unknown): ApiError {
  if (isAgentError(error) && apiCodeOf[error.code] !== 'internal_error') {
    return apiError(apiCodeOf[error.code], error.message);
  }
  return apiError('internal_error', 'the agent could not answer');
}
