import { Counter, Gauge, type Registry } from 'prom-client';
import type { AgentMetrics } from '../../agent/ports.js';
import { CADENCE_REASONS } from '../../domain/cadence.js';
import { absentUntilSet, clear } from './absent-gauge.js';
import { createDecisionMetrics } from './decision-metrics.js';
import { registerDefaultMetrics, registerLeanProcessMetrics } from './default-metrics.js';
import { componentLabel, HARDWARE_COMPONENTS, SYNC_RESULTS, toSeconds } from './labels.js';
import { createQuestionMetrics } from './question-metrics.js';
import { createTrustMetrics } from './trust-metrics.js';
import { createUpstreamMetrics } from './upstream-metrics.js';

export { UPSTREAM_DURATION_BUCKETS } from './upstream-metrics.js';

const PREFIX = 'license_agent_';

/**
 * `full`: every series, per licence and per feature included. `lean`: what a fleet needs from
 * every device (the device's decision, counts per state, failures, grace, time) and a few process
 * metrics: bounded by fixed label sets, not by how many licences and features a device holds.
 */
export type MetricsProfile = 'full' | 'lean';

export interface BuildInfo {
  readonly version: string;
  /** Known at start when the identity store already holds one; `identity()` sets it otherwise. */
  readonly hardwareId?: string;
  /** Which licence server the agent talks to; a sandboxed device must stand out in a fleet. */
  readonly upstream: 'sandbox' | 'licensespring';
  /** Absent: `full`. */
  readonly profile?: MetricsProfile;
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
  const detail = (info.profile ?? 'full') === 'full';
  if (detail) registerDefaultMetrics(registry);
  else registerLeanProcessMetrics(registry);

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
  const nextSync = absentUntilSet(
    new Gauge({
      name: `${PREFIX}next_sync_timestamp_seconds`,
      help: "When the next sync starts: the adaptive cadence's plan, or the schedule tick plus splay.",
      registers,
    }),
  );
  const nextSyncReason = new Gauge({
    name: `${PREFIX}next_sync_reason`,
    help: '1 for why the next sync starts when it does (steady, approaching an expiry, rate limited...), 0 for the others.',
    labelNames: ['reason'],
    registers,
  });
  for (const reason of CADENCE_REASONS) nextSyncReason.set({ reason }, 0);

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

  const upstream = createUpstreamMetrics(registry, detail);
  const decide = createDecisionMetrics(registry, detail);
  const questions = createQuestionMetrics(registry, detail);
  const trust = createTrustMetrics(registry);

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    upstreamAttempt(endpoint, outcome, durationSeconds) {
      upstream.attempt(endpoint, outcome, durationSeconds);
    },
    upstreamSucceeded(endpoint, at) {
      upstream.succeeded(endpoint, at);
    },
    syncFinished(result, at) {
      syncRuns.inc({ result });
      lastSync.set(toSeconds(at));
    },
    nextSync(next) {
      if (next === null) clear(nextSync);
      else nextSync.set(toSeconds(next.at));
      for (const reason of CADENCE_REASONS)
        nextSyncReason.set({ reason }, next?.reason === reason ? 1 : 0);
    },
    featureAnswered: questions.answered,
    decided(decisions) {
      decide(decisions);
      questions.listed(decisions.features.map((feature) => feature.code));
    },
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
