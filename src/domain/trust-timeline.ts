import type { NotGenuineReason, UnreachableCause } from './upstream-outcome.js';
import type { RejectionCode } from './refusal.js';
import type { Instant } from './time.js';

/** Why the latest attempt brought nothing genuine. */
export type FailureReason = UnreachableCause | NotGenuineReason | RejectionCode;

/**
 * What the agent knows about time and reachability, apart from the answers themselves. Everything
 * is measured in trusted time: never earlier than the highest instant the agent has seen, so that
 * a wall clock moved backwards cannot stretch a grace period.
 */
export interface TrustTimeline {
  /** When the last genuine answer (a grant or a definite refusal) arrived, in trusted time. */
  readonly lastGenuineAt: Instant | null;
  /**
   * The trusted instant at the agent's latest look at its clocks: the highest of its wall clock
   * readings and genuine answers' server dates, carried on by the monotonic clock since.
   */
  readonly highestTrustedAt: Instant;
  /**
   * The monotonic reading taken with `highestTrustedAt`, so that trusted time runs on while the
   * wall clock stands behind it. Null when no reading of this boot's monotonic clock goes with it
   * (nothing seen yet, or a state saved on another boot): `highestTrustedAt` is then only a floor.
   */
  readonly highestMonotonic: number | null;
  /** Since when nothing genuine has come back (null while the last attempt succeeded). */
  readonly failingSince: Instant | null;
  readonly lastFailure: FailureReason | null;
  /** Server `Date` minus the local clock at the last genuine answer, when the server sent one. */
  readonly serverSkewMs: number | null;
  /** How often the wall clock was seen going back further than the tolerance. */
  readonly clockRollbacks: number;
  /** How far the wall clock is behind the highest trusted instant now; null when it is not. */
  readonly clockBehindMs: number | null;
  /** How often a genuine answer dated as the wall clock reads brought trusted time back. */
  readonly timeCorrections: number;
}

export const initialTimeline: TrustTimeline = {
  lastGenuineAt: null,
  highestTrustedAt: 0,
  highestMonotonic: null,
  failingSince: null,
  lastFailure: null,
  serverSkewMs: null,
  clockRollbacks: 0,
  clockBehindMs: null,
  timeCorrections: 0,
};
