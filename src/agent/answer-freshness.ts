import type { Instant } from '../domain/time.js';
import type { NotGenuineReason, UpstreamOutcome } from '../domain/upstream-outcome.js';

/**
 * The vendor's own window: it refuses a request whose `Date` is more than 15 minutes off
 * (api/README.md, `date_header_diff`), so a genuine answer is never further off than that.
 */
export const MAX_ANSWER_DATE_DISTANCE_MS = 15 * 60_000;

/** The agent's two readings of "now" as a sync starts. */
export interface SyncTimes {
  /** Trusted time: never earlier than the highest instant seen. */
  readonly trustedAt: Instant;
  /** The wall clock as read. */
  readonly wallClockAt: Instant;
}

/**
 * Why an answer that verified is still not to replace what the agent holds: its server `Date`
 * is far from now, or older than the newest answer already held for the same question.
 *
 * "Far from now" is far from both trusted time and the wall clock. Trusted time alone would do
 * against a replay, but after a forward clock jump that came back, trusted time stands ahead of
 * the true time, and an answer dated by a server that agrees with the wall clock is the one thing
 * that can bring it back (issue 19, item 3): refusing it would make the jump permanent. A replay
 * must be dated near the wall clock and newer than what is held to pass, which needs the Date
 * rewritten (it is not signed; see docs/security-model.md).
 *
 * An outcome without a Date is not judged here: the HTTP adapter already refuses a real answer
 * that has none, so only in-process fakes get this far without one.
 */
export function freshnessProblem(
  outcome: UpstreamOutcome<unknown>,
  times: SyncTimes,
  newestHeld: Instant | null,
): NotGenuineReason | null {
  if (outcome.kind !== 'genuine' && outcome.kind !== 'refused') return null;
  const date = outcome.serverDate ?? null;
  if (date === null) return null;
  const near = (at: Instant) => Math.abs(date - at) <= MAX_ANSWER_DATE_DISTANCE_MS;
  if (!near(times.trustedAt) && !near(times.wallClockAt)) return 'untimely_answer';
  if (newestHeld !== null && date < newestHeld) return 'stale_answer';
  return null;
}
