// One simulated device: its hardware ID (so its own slot), a SyncPlanner, its observations and
// trust times, driven exactly as src/agent/sync-loop.ts drives them under the adaptive cadence:
// `first()` at start (a slot when saved answers still decide, else at once), `runSyncCycle` at
// each planned instant, then `record()` and `plan()` over `syncBoundaries` of what it now holds.
// Not driven: SyncLoop itself, whose minute-by-minute clock watch would be 144 million timer
// events a day for 100,000 devices; on a virtual clock no planned timer is ever missed, which is
// all the watch is there for.
import { createHash } from 'node:crypto';
import { SyncPlanner } from '../../dist/src/agent/sync-planner.js';
import { runSyncCycle } from '../../dist/src/agent/sync-cycle.js';
import { splayOffsetMs } from '../../dist/src/domain/splay.js';
import { syncBoundaries } from '../../dist/src/domain/sync-boundaries.js';
import { DEFAULT_CADENCE } from '../../dist/src/domain/cadence.js';

const HOUR = 60 * 60 * 1000;
export const OFFLINE_GRACE_MS = 72 * HOUR;
/** The agent's defaults (src/config/schema.ts: sync.attempts, backoffBaseMs, backoffMaxMs, ...). */
export const DEFAULT_POLICY = {
  attempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

const quietMetrics = {
  upstreamAttempt: () => undefined,
  upstreamSucceeded: () => undefined,
};
const never = new AbortController().signal;

/** A hardware ID as the agent derives one: a digest, so slots spread as on a real fleet. */
export function hardwareIdOf(index) {
  const hex = createHash('sha256').update(`fleet-device-${index}`).digest('hex').slice(0, 32);
  return hex.match(/.{4}/g).join('-');
}

export class SimulatedDevice {
  constructor(index, { time, server, random, cadence = DEFAULT_CADENCE, features = [] }) {
    this.index = index;
    this.time = time;
    this.hardwareId = hardwareIdOf(index);
    this.planner = new SyncPlanner(cadence, splayOffsetMs(this.hardwareId, cadence.maxIntervalMs));
    this.deps = {
      api: server.apiFor(this),
      clock: time,
      sleep: time.sleep,
      random,
      metrics: quietMetrics,
      policy: DEFAULT_POLICY,
    };
    this.settings = {
      hardwareId: this.hardwareId,
      product: null,
      featureChecks: 'auto',
      features,
      concurrency: 4,
    };
    this.observations = { licenses: null, featureChecks: new Map() };
    this.trust = { lastGenuineAt: null, failingSince: null };
    this.syncs = 0;
    this.lastGenuineAt = null;
    this.inFlight = false;
    /** The first genuine answer at or after `recoveryMark` (the end of an outage). */
    this.recoveryMark = Infinity;
    this.recoveredAt = null;
  }

  /** What the last genuine answer said, as saved state brings back at start. */
  restore(licenses, at) {
    this.observations = {
      licenses: {
        kind: 'licenses',
        licenses,
        verifiedAt: at,
        evidence: { body: '', signature: null },
        serverDate: at,
      },
      featureChecks: new Map(),
    };
    this.trust = { lastGenuineAt: at, failingSince: null };
  }

  /** SyncLoop.start('boot') under the adaptive cadence. */
  start() {
    const now = this.time.now();
    const usable =
      this.trust.lastGenuineAt !== null && now < this.trust.lastGenuineAt + OFFLINE_GRACE_MS;
    const first = this.planner.first(now, usable);
    this.next = first;
    if (first.reason === 'slot') this.plan(first);
    else void this.sync();
  }

  plan(next) {
    this.next = next;
    this.time.schedule(Math.max(this.time.now(), next.at), () => void this.sync());
  }

  async sync() {
    if (this.inFlight) return;
    this.inFlight = true;
    const startedAt = this.time.now();
    const { observations, report } = await runSyncCycle(
      this.deps,
      this.settings,
      this.observations,
      never,
      startedAt,
    );
    this.observations = observations;
    this.syncs++;
    const genuine = report.deviceLicenses.kind === 'genuine';
    if (genuine) {
      this.trust = { lastGenuineAt: this.time.now(), failingSince: null };
      this.lastGenuineAt = this.time.now();
      if (this.recoveredAt === null && this.time.now() >= this.recoveryMark)
        this.recoveredAt = this.time.now();
    } else if (report.deviceLicenses.kind !== 'refused') {
      this.trust = { ...this.trust, failingSince: this.trust.failingSince ?? startedAt };
    }
    this.planner.record({
      startedAt,
      calls: report.calls,
      rateLimited: report.rateLimited,
      finishedAt: report.finishedAt,
    });
    // syncBoundaries reads only the observations and these two trust times of the state.
    const state = { observations: this.observations, trust: this.trust };
    this.inFlight = false;
    const now = this.time.now();
    const usable =
      this.trust.lastGenuineAt !== null && now < this.trust.lastGenuineAt + OFFLINE_GRACE_MS;
    this.plan(this.planner.plan(now, syncBoundaries(state, OFFLINE_GRACE_MS), usable));
  }
}
