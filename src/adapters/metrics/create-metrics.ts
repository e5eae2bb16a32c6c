import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AgentMetrics } from '../../agent/ports.js';
import { createDecisionMetrics } from './decision-metrics.js';
import { registerDefaultMetrics } from './default-metrics.js';
import { createTrustMetrics } from './trust-metrics.js';
import {
  componentLabel,
  ENDPOINTS,
  HARDWARE_COMPONENTS,
  SYNC_RESULTS,
  toSeconds,
} from './labels.js';

const PREFIX = 'license_agent_';

/** Upstream calls time out at 10–30 s; the top buckets separate "slow" from "timed out". */
export const UPSTREAM_DURATION_BUCKETS = [
  0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30,
] as const;

export interface BuildInfo {
  readonly version: string;
  /** Known at start when the identity store already holds one; `identity()` sets it otherwise. */
  readonly hardwareId?: string;
  /** Which licence server the agent talks to; a sandboxed device must stand out in a fleet. */
  readonly upstream: 'sandbox' | 'licensespring';
}

/** The port plus what the /metrics endpoint needs to answer a scrape. */
export interface PrometheusMetrics extends AgentMetrics {
  readonly contentType: string;
  render(): Promise<string>;
}

/**
 * Registers every metric on the given registry (never the global one) when called, not on import,
 * so tests and the composition root each own an isolated registry.
 */
export function createMetrics(registry: Registry, info: BuildInfo): PrometheusMetrics {
  const registers = [registry];
  registerDefaultMetrics(registry);

  const buildInfo = new Gauge({
    name: `${PREFIX}build_info`,
    help: 'Always 1; labels carry the agent version and the Node.js version running it.',
    labelNames: ['version', 'node_version'],
    registers,
  });
  buildInfo.set({ version: info.version, node_version: process.version }, 1);

  const upstreamInfo = new Gauge({
    name: `${PREFIX}upstream_info`,
    help: 'Always 1; kind is the licence server in use: licensespring, or sandbox (example licences).',
    labelNames: ['kind'],
    registers,
  });
  upstreamInfo.set({ kind: info.upstream }, 1);

  const deviceInfo = new Gauge({
    name: `${PREFIX}device_info`,
    help: 'Always 1; the label carries the hardware ID the agent presents to the licence server.',
    labelNames: ['hardware_id'],
    registers,
  });
  const componentChanged = new Gauge({
    name: `${PREFIX}hardware_id_component_changed`,
    help: 'Whether a hardware ID component differs from the one seen at enrolment: 1 or 0.',
    labelNames: ['component'],
    registers,
  });
  const setHardwareId = (hardwareId: string): void => {
    // One series only: the old ID must not linger next to the new one.
    deviceInfo.reset();
    deviceInfo.set({ hardware_id: hardwareId }, 1);
  };
  if (info.hardwareId !== undefined) setHardwareId(info.hardwareId);

  const upstreamRequests = new Counter({
    name: `${PREFIX}upstream_requests_total`,
    help: 'Licence server calls, by endpoint and outcome (genuine, refused, rejected, or why not).',
    labelNames: ['endpoint', 'outcome'],
    registers,
  });
  const upstreamDuration = new Histogram({
    name: `${PREFIX}upstream_request_duration_seconds`,
    help: 'Duration of licence server calls, whatever their outcome.',
    labelNames: ['endpoint'],
    buckets: [...UPSTREAM_DURATION_BUCKETS],
    registers,
  });
  const upstreamLastSuccess = new Gauge({
    name: `${PREFIX}upstream_last_success_timestamp_seconds`,
    help: 'When the licence server last gave a genuine answer, per endpoint.',
    labelNames: ['endpoint'],
    registers,
  });
  const syncRuns = new Counter({
    name: `${PREFIX}sync_runs_total`,
    help: 'Finished sync cycles, by result.',
    labelNames: ['result'],
    registers,
  });
  const lastSync = new Gauge({
    name: `${PREFIX}last_sync_timestamp_seconds`,
    help: 'When the last sync cycle finished, whatever its result.',
    registers,
  });

  const stateSaveFailures = new Counter({
    name: `${PREFIX}state_save_failures_total`,
    help: 'Saves of the state that failed (a full or read-only disk); the agent answers from memory.',
    registers,
  });
  const lastStateSave = new Gauge({
    name: `${PREFIX}last_state_save_timestamp_seconds`,
    help: 'When the state was last saved durably; 0 before the first save of this run.',
    registers,
  });

  // Known label values start at zero so rate() and absent() work before the first event.
  for (const result of SYNC_RESULTS) syncRuns.inc({ result }, 0);
  for (const endpoint of ENDPOINTS) upstreamDuration.zero({ endpoint });

  const decided = createDecisionMetrics(registry);
  const trust = createTrustMetrics(registry);

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    upstreamAttempt(endpoint, outcome, durationSeconds) {
      upstreamRequests.inc({ endpoint, outcome });
      upstreamDuration.observe({ endpoint }, durationSeconds);
    },
    upstreamSucceeded(endpoint, at) {
      upstreamLastSuccess.set({ endpoint }, toSeconds(at));
    },
    syncFinished(result, at) {
      syncRuns.inc({ result });
      lastSync.set(toSeconds(at));
    },
    decided,
    stateLoadFailed: (reason) => {
      trust.stateLoadFailed(reason);
    },
    trust: (view) => {
      trust.trust(view);
    },
    stateSaved(ok, at) {
      if (ok) lastStateSave.set(toSeconds(at));
      else stateSaveFailures.inc();
    },
    identity(hardwareId, changedComponents) {
      setHardwareId(hardwareId);
      for (const name of HARDWARE_COMPONENTS) {
        componentChanged.set(
          { component: componentLabel(name) },
          changedComponents.includes(name) ? 1 : 0,
        );
      }
    },
  };
}
