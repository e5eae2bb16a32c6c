import type { UnreachableCause } from '../../domain/upstream-outcome.js';

/** The setting a rejected key is fixed in: every credential message names it. */
export const API_KEY_SETTING = 'licensespring.management.apiKey';

/**
 * Every way a Management API listing fails, as data with a stable `code`; `message` is one line
 * for a person, and never holds the API key.
 */
export type ManagementFailure =
  | {
      /** 401/403: the key is wrong, revoked, or not a management key. */
      readonly code: 'management_credentials';
      readonly status: number;
      readonly message: string;
    }
  | {
      /** 429 with a wait beyond the bound, or 429s past the attempts. */
      readonly code: 'management_rate_limited';
      readonly retryAfterMs: number | null;
      readonly message: string;
    }
  | {
      readonly code: 'management_unreachable';
      readonly cause: UnreachableCause;
      readonly message: string;
    }
  /** Another 4xx: the server refused the question itself. */
  | { readonly code: 'management_refused'; readonly status: number; readonly message: string }
  /** An answer that is not the documented envelope, or pages that do not advance. */
  | { readonly code: 'management_bad_answer'; readonly message: string };

export type ManagementFailureCode = ManagementFailure['code'];
