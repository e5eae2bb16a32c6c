import { Counter, Histogram, Gauge, type Registry } from 'prom-client';
import type { Endpoint } from '../../agent/ports.js';
import type { Instant } from '../../domain/time.js';
import { outcomeLabel, type UpstreamOutcome } from '../../domain/upstream-outcome.js';
import { ENDPOINTS, toSeconds } from './labels.js';
import { FAILURE_CAUSES, failureCause, OUTCOME_LABELS } from './outcome-labels.js';

const PREFIX = 'license_agent_';

/** Upstream calls time out at 10–30 s; the top buckets separate "slow" from "timed out". */
export const UPSTREAM_DURATION_BUCKETS = [
  0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30,
] as const;

export interface UpstreamMetrics {
  attempt(endpoint: Endpoint, outcome: UpstreamOutcome<unknown>, durationSeconds: number): void;
  succeeded(endpoint: Endpoint, at: Instant): void;
}

/**
 * Licence server calls. Failures by cause are kept always; with `detail`, every attempt by
 * endpoint and outcome, its duration, and each endpoint's last success. Every label value the
 * agent can report starts at zero, so `increase()` sees the first failure of each kind.
 */
export function createUpstreamMetrics(registry: Registry, detail: boolean): UpstreamMetrics {
  const registers = [registry];
  const failures = new Counter({
    name: `${PREFIX}upstream_failures_total`,
    help: 'Licence server calls that brought nothing genuine (unreachable, rejected, not genuine), by cause.',
    labelNames: ['cause'],
    registers,
  });
  for (const cause of FAILURE_CAUSES) failures.inc({ cause }, 0);
  const countFailure = (outcome: UpstreamOutcome<unknown>): void => {
    const cause = failureCause(outcome);
    if (cause !== null) failures.inc({ cause });
  };
  if (!detail) {
    return {
      attempt: (_endpoint, outcome) => {
        countFailure(outcome);
      },
      succeeded: noop,
    };
  }

  const requests = new Counter({
    name: `${PREFIX}upstream_requests_total`,
    help: 'Licence server calls, by endpoint and outcome (genuine, refused, rejected, or why not).',
    labelNames: ['endpoint', 'outcome'],
    registers,
  });
  const duration = new Histogram({
    name: `${PREFIX}upstream_request_duration_seconds`,
    help: 'Duration of licence server calls, whatever their outcome.',
    labelNames: ['endpoint'],
    buckets: [...UPSTREAM_DURATION_BUCKETS],
    registers,
  });
  const lastSuccess = new Gauge({
    name: `${PREFIX}upstream_last_success_timestamp_seconds`,
    help: 'When the licence server last gave a genuine answer, per endpoint.',
    labelNames: ['endpoint'],
    registers,
  });
  for (const endpoint of ENDPOINTS) {
    duration.zero({ endpoint });
    for (const outcome of OUTCOME_LABELS) requests.inc({ endpoint, outcome }, 0);
  }
  return {
    attempt(endpoint, outcome, durationSeconds) {
      requests.inc({ endpoint, outcome: outcomeLabel(outcome) });
      duration.observe({ endpoint }, durationSeconds);
      countFailure(outcome);
    },
    succeeded(endpoint, at) {
      lastSuccess.set({ endpoint }, toSeconds(at));
    },
  };
}

function noop(): void {
  // The lean profile keeps no per-endpoint success time: last_genuine_answer covers the device.
}
