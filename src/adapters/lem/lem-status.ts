import type { LemOutcome } from '../../domain/lem.js';

/** What a call was about, for the 400/404 messages: e.g. `project 39ab…` or `device 88mq…`. */
export type LemSubject = string;

type NotOk = Exclude<LemOutcome<never>, { kind: 'ok' }>;

/**
 * One actionable message per documented status. The vendor's own message (if any) is not
 * repeated: it could echo what was sent, and the operator needs the fix, not LEM's wording.
 */
export function outcomeOfStatus(status: number, subject: LemSubject): NotOk {
  if (status === 401) {
    return {
      kind: 'refused',
      status,
      code: 'lem_token_rejected',
      message:
        'the LEM token is wrong or expired: manage tokens under System > Access Control > Tokens',
    };
  }
  if (status === 403) {
    return {
      kind: 'refused',
      status,
      code: 'lem_permission_denied',
      message: `the token lacks this permission (${subject}): give the token's role access to the device licence pool`,
    };
  }
  if (status === 400) {
    return {
      kind: 'refused',
      status,
      code: 'lem_bad_request',
      message: `LEM refused the request for ${subject} as malformed: check the project ID and device IDs`,
    };
  }
  if (status === 404) {
    return {
      kind: 'refused',
      status,
      code: 'lem_not_found',
      message: `LEM does not know ${subject}: check the project ID and device IDs`,
    };
  }
  if (status === 429) {
    return {
      kind: 'unreachable',
      cause: 'rate_limited',
      status,
      transportCode: null,
      message: 'LEM is rate-limiting this client: it will be asked again later',
    };
  }
  if (status >= 500) {
    return {
      kind: 'unreachable',
      cause: 'server_error',
      status,
      transportCode: null,
      message: `LEM is unreachable or restarting (HTTP ${status}): see its logs under System > Support`,
    };
  }
  return {
    kind: 'refused',
    status,
    code: 'lem_unexpected_status',
    message: `LEM answered HTTP ${status}, which its API does not document here: check the LEM URL`,
  };
}
