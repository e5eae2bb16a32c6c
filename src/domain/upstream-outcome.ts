import type { Evidence } from './evidence.js';
import type { RefusalCode, RejectionCode } from './refusal.js';
import type { Instant } from './time.js';

/** Why the server could not be reached. None of these says anything about the licence. */
export type UnreachableCause =
  | 'connection_refused'
  | 'connection_reset'
  | 'dns'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'network'
  /** The TLS handshake failed: a certificate not trusted, expired or for another name; no TLS. */
  | 'tls'
  /** A proxy on the way wants credentials (407): the licence server was never asked. */
  | 'proxy';

/** Why an answer that did arrive cannot be trusted. It is treated as not received. */
export type NotGenuineReason =
  | 'missing_signature'
  | 'bad_signature'
  | 'malformed_json'
  | 'wrong_shape'
  /** Signed, but for another device, feature or licence than the one asked about. */
  | 'foreign_answer'
  /** Older (by its server `Date`) than the newest genuine answer already held. */
  | 'stale_answer'
  /** Its server `Date` is missing or further from trusted time than the vendor's 15 minutes. */
  | 'untimely_answer'
  /** A 4xx that is not one of the vendor's documented codes with its documented status. */
  | 'unrecognised_error';

/**
 * Every way one upstream call can end, as data. "The server said no" (`refused`) and "the server
 * could not be reached" (`unreachable`) are different kinds and never mix.
 */
export type UpstreamOutcome<T> =
  | {
      readonly kind: 'genuine';
      readonly value: T;
      /** The answer as it arrived, to be kept and verified again after a restart. */
      readonly evidence: Evidence;
      /** The server's `Date` header, when it sent a valid one. */
      readonly serverDate: Instant | null;
    }
  | {
      readonly kind: 'refused';
      readonly code: RefusalCode;
      readonly upstreamCode: string | null;
      readonly status: number;
      /** The server's `Date` header: a refusal too is an answer newer ones are measured against. */
      readonly serverDate?: Instant | null;
    }
  | {
      readonly kind: 'rejected';
      readonly code: RejectionCode;
      readonly status: number;
      readonly message: string;
    }
  | {
      readonly kind: 'unreachable';
      readonly cause: UnreachableCause;
      readonly status: number | null;
      /** From `Retry-After`, when the server sent one. */
      readonly retryAfterMs: number | null;
    }
  | { readonly kind: 'not-genuine'; readonly reason: NotGenuineReason };

export type OutcomeKind = UpstreamOutcome<unknown>['kind'];

/** The label an outcome is counted under in metrics and logs: bounded and stable. */
export function outcomeLabel(outcome: UpstreamOutcome<unknown>): string {
  switch (outcome.kind) {
    case 'genuine':
      return 'genuine';
    case 'refused':
      return 'refused';
    case 'rejected':
      return 'rejected';
    case 'unreachable':
      return outcome.cause;
    case 'not-genuine':
      return outcome.reason;
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

/** Only an unreachable server is worth asking again in the same cycle. */
export function isRetryable(outcome: UpstreamOutcome<unknown>): boolean {
  return outcome.kind === 'unreachable';
}
