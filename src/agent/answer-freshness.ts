import type { Instant } from '../domain/time.js';
import type { NotGenuineReason, UpstreamOutcome } from '../domain/upstream-outcome.js';

/**
 * The vendor's own window: it refuses a request whose `Date` is more than 15 minutes off
 * (api/README.md, `date_header_diff`), so a genuine answer is never further off than that.
 */
export const MAX_ANSWER_DATE_DISTANCE_MS = 15 * 60_000;

/**
 * Why an answer that verified is still not to replace what the agent holds: its server `Date`
 * is far from trusted time, or older than the newest answer already held for the same question.
 * An outcome without a Date is not judged here: the HTTP adapter already refuses a real answer
 * that has none, so only in-process fakes get this far without one.
 */
export function freshnessProblem(
  outcome: UpstreamOutcome<unknown>,
  trustedAt: Instant,
  newestHeld: Instant | null,
): NotGenuineReason | null {
  if (outcome.kind !== 'genuine' && outcome.kind !== 'refused') return null;
  const date = outcome.serverDate ?? null;
  if (date === null) return null;
  if (Math.abs(date - trustedAt) > MAX_ANSWER_DATE_DISTANCE_MS) return 'untimely_answer';
  if (newestHeld !== null && date < newestHeld) return 'stale_answer';
  return null;
}
