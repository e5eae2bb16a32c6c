import type { RejectionCode } from '../../domain/refusal.js';
import type { FailureReason } from '../../domain/trust-timeline.js';
import {
  outcomeLabel,
  type NotGenuineReason,
  type UnreachableCause,
  type UpstreamOutcome,
} from '../../domain/upstream-outcome.js';

// Records keyed by the domain unions, as in labels.ts: a cause added to a union fails compilation
// here until it has a series, so the first failure of a new kind is never a series born at 1 that
// `increase()` cannot see.

const unreachableCauses: Readonly<Record<UnreachableCause, null>> = {
  connection_refused: null,
  connection_reset: null,
  dns: null,
  timeout: null,
  server_error: null,
  rate_limited: null,
  network: null,
  tls: null,
  proxy: null,
};

const notGenuineReasons: Readonly<Record<NotGenuineReason, null>> = {
  missing_signature: null,
  bad_signature: null,
  malformed_json: null,
  wrong_shape: null,
  foreign_answer: null,
  stale_answer: null,
  untimely_answer: null,
  unrecognised_error: null,
};

/** The rejections that say the credentials (or how they are sent) are wrong; the rest is the clock. */
const rejectionCodes: Readonly<Record<RejectionCode, 'credentials' | 'clock'>> = {
  date_header_diff: 'clock',
  signature_mismatch: 'credentials',
  hmac_required: 'credentials',
  authorization_invalid_headers: 'credentials',
  missing_headers: 'credentials',
  unauthorized: 'credentials',
  forbidden: 'credentials',
};

const keys = <K extends string>(record: Readonly<Record<K, unknown>>): readonly K[] =>
  Object.keys(record) as K[];

const UNREACHABLE = keys(unreachableCauses);

/** Every cause an unreachable upstream is reported with, LEM's included (the same union). */
export const UNREACHABLE_CAUSES: readonly UnreachableCause[] = UNREACHABLE;
const NOT_GENUINE = keys(notGenuineReasons);
const REJECTIONS = keys(rejectionCodes);

/** Every cause of an attempt that brought nothing genuine: the `cause` label of failures. */
export const FAILURE_CAUSES: readonly FailureReason[] = [
  ...UNREACHABLE,
  ...NOT_GENUINE,
  ...REJECTIONS,
];

/** Rejection codes that mean the credentials are refused: what the alert on them matches. */
export const CREDENTIAL_REJECTIONS: readonly RejectionCode[] = REJECTIONS.filter(
  (code) => rejectionCodes[code] === 'credentials',
);

/** One outcome of each kind, cause and reason. */
const everyOutcome: readonly UpstreamOutcome<unknown>[] = [
  { kind: 'genuine', value: null, evidence: { body: '', signature: null }, serverDate: null },
  { kind: 'refused', code: 'refused_other', upstreamCode: null, status: 400 },
  { kind: 'rejected', code: 'unauthorized', status: 401, message: '' },
  ...UNREACHABLE.map((cause) => ({
    kind: 'unreachable' as const,
    cause,
    status: null,
    retryAfterMs: null,
  })),
  ...NOT_GENUINE.map((reason) => ({ kind: 'not-genuine' as const, reason })),
];

/**
 * Every `outcome` label an attempt can be counted under, made by the domain's own `outcomeLabel`,
 * so that the two cannot disagree.
 */
export const OUTCOME_LABELS: readonly string[] = [...new Set(everyOutcome.map(outcomeLabel))];

/** Why an attempt brought nothing genuine; null when it brought a grant or a definite refusal. */
export function failureCause(outcome: UpstreamOutcome<unknown>): FailureReason | null {
  switch (outcome.kind) {
    case 'genuine':
    case 'refused':
      return null;
    case 'rejected':
      return outcome.code;
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
