/** Retry policy for one sync cycle: bounded attempts, exponential backoff with full jitter. */
export interface BackoffPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this ends the cycle instead of waiting it out. */
  readonly maxRetryAfterMs: number;
}

export type NextAttempt =
  | { readonly kind: 'retry'; readonly delayMs: number }
  | { readonly kind: 'give-up'; readonly reason: 'attempts_exhausted' | 'retry_after_too_long' };

/**
 * Delay before attempt `failedAttempts + 1`. Full jitter (uniform in [0, cap]) spreads a fleet that
 * failed together; a server's `Retry-After` is a floor, never shortened by jitter.
 *
 * @param random a number in [0, 1), injected so that tests can fix it.
 */
export function nextAttempt(
  policy: BackoffPolicy,
  failedAttempts: number,
  retryAfterMs: number | null,
  random: number,
): NextAttempt {
  if (failedAttempts >= policy.attempts) return { kind: 'give-up', reason: 'attempts_exhausted' };
  if (retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs) {
    return { kind: 'give-up', reason: 'retry_after_too_long' };
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  const jittered = Math.floor(random * ceiling);
  return { kind: 'retry', delayMs: Math.max(jittered, retryAfterMs ?? 0) };
}
