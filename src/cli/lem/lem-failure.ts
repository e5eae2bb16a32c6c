import type { LemOutcome } from '../../domain/lem.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

export type LemNotOk = Exclude<LemOutcome<unknown>, { kind: 'ok' }>;

export interface LemFailure {
  readonly exit: ExitCode;
  /** The client's own message: it names the fix, and never the token. */
  readonly message: string;
}

/**
 * How a LEM call that did not succeed ends the command, by sysexits: a script can tell a token
 * to replace (77) from an outage to wait out (69) from a wrong ID (65). An untrusted certificate
 * is 78: no retry helps until the config names LEM's CA or pins its fingerprint.
 */
export function lemFailure(outcome: LemNotOk): LemFailure {
  switch (outcome.kind) {
    case 'refused':
      return { exit: exitForRefusal(outcome.code), message: outcome.message };
    case 'unreachable':
      return {
        exit: outcome.cause === 'tls' ? EXIT.config : EXIT.unavailable,
        message: outcome.message,
      };
    case 'malformed':
      return {
        exit: EXIT.protocol,
        message: `LEM answered in a form its API does not document (${outcome.detail}): is lem.baseUrl a LEM?`,
      };
    case 'invalid-input':
      return { exit: EXIT.dataErr, message: `${outcome.message}; nothing was sent` };
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

function exitForRefusal(code: Extract<LemNotOk, { kind: 'refused' }>['code']): ExitCode {
  switch (code) {
    case 'lem_token_rejected':
    case 'lem_permission_denied':
      return EXIT.noPermission;
    case 'lem_bad_request':
    case 'lem_not_found':
      return EXIT.dataErr;
    case 'lem_unexpected_status':
      return EXIT.protocol;
    default: {
      const never: never = code;
      return never;
    }
  }
}
