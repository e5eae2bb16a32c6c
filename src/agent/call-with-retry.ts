import { nextAttempt, type BackoffPolicy } from '../domain/backoff.js';
import { isRetryable, type UpstreamOutcome } from '../domain/upstream-outcome.js';
import type { AgentMetrics, Clock, Endpoint, Random, Sleep } from './ports.js';

export interface RetryDeps {
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: Random;
  readonly metrics: AgentMetrics;
  readonly policy: BackoffPolicy;
}

export interface Attempted<T> {
  readonly outcome: UpstreamOutcome<T>;
  readonly attempts: number;
}

/**
 * Calls until an answer that means something arrives, retrying only while the server cannot be
 * reached, within the policy's bounds. Every attempt is counted, so metrics show the real load
 * the device puts on the vendor's per-company rate limit.
 */
export async function callWithRetry<T>(
  deps: RetryDeps,
  endpoint: Endpoint,
  call: (signal: AbortSignal) => Promise<UpstreamOutcome<T>>,
  signal: AbortSignal,
): Promise<Attempted<T>> {
  for (let attempt = 1; ; attempt++) {
    const started = deps.clock.monotonic();
    const outcome = await call(signal);
    deps.metrics.upstreamAttempt(endpoint, outcome, (deps.clock.monotonic() - started) / 1000);
    if (outcome.kind === 'genuine') deps.metrics.upstreamSucceeded(endpoint, deps.clock.now());
    if (!isRetryable(outcome)) return { outcome, attempts: attempt };
    const retryAfter = outcome.kind === 'unreachable' ? outcome.retryAfterMs : null;
    const next = nextAttempt(deps.policy, attempt, retryAfter, deps.random());
    if (next.kind === 'give-up') return { outcome, attempts: attempt };
    await deps.sleep(next.delayMs, signal);
  }
}
