import { AgentError } from '../domain/agent-error.js';
import type { LemDeviceMatch } from '../domain/lem-device.js';
import { applyLemPoll, LEM_PARTS, type LemPoll, type LemSnapshot } from '../domain/lem-snapshot.js';
import { splayOffsetMs } from '../domain/splay.js';
import type { LemBoard } from './lem-board.js';
import type { LemMetrics } from './lem-poll-ports.js';
import type { LemApi } from './lem-ports.js';
import type { Clock, Logger, Sleep } from './ports.js';
import type { Scheduler } from './sync-loop.js';

export interface LemLoopDeps {
  readonly api: LemApi;
  readonly board: LemBoard;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly scheduler: Scheduler;
  readonly metrics: LemMetrics;
  readonly log: Logger;
  /** Durably saves the snapshot; rejects when it could not. */
  readonly persist: (snapshot: LemSnapshot) => Promise<void>;
}

export interface LemLoopSettings {
  readonly schedule: string;
  readonly splayMs: number;
  /** The splay's seed: the hardware ID, as for the LicenseSpring sync. */
  readonly seed: string;
  readonly match: LemDeviceMatch;
}

/**
 * Reads LEM once at start, then on its own schedule, each tick delayed by this device's splay.
 * It shares nothing with the LicenseSpring sync but the clock: its own board, its own file, its
 * own failures, so that an outage of either licence system leaves the other's answers alone.
 * Each call is one attempt; a failed part keeps its last good answer until the next tick.
 */
export class LemLoop {
  private inFlight: Promise<LemSnapshot> | null = null;
  private stopped = false;
  private stopSchedule: (() => void) | null = null;

  constructor(
    private readonly deps: LemLoopDeps,
    private readonly settings: LemLoopSettings,
    private readonly signal: AbortSignal,
  ) {}

  start(): void {
    const task = this.deps.scheduler.every(this.settings.schedule, () => {
      void this.tick();
    });
    this.stopSchedule = () => {
      task.stop();
    };
    this.poll().catch((error: unknown) => {
      this.failed(error);
    });
  }

  /** Stops the schedule and waits for a poll in flight, so that nothing is saved after. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSchedule?.();
    this.stopSchedule = null;
    await this.inFlight?.catch(() => undefined);
  }

  running(): boolean {
    return this.inFlight !== null;
  }

  splayMs(): number {
    return splayOffsetMs(this.settings.seed, this.settings.splayMs);
  }

  /** One poll of every part; one already in flight is joined. */
  poll(): Promise<LemSnapshot> {
    if (this.stopped)
      return Promise.reject(new AgentError('agent_stopping', 'the agent is stopping'));
    this.inFlight ??= this.pollNow().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async tick(): Promise<void> {
    try {
      await this.deps.sleep(this.splayMs(), this.signal);
      await this.poll();
    } catch (error) {
      this.failed(error);
    }
  }

  private async pollNow(): Promise<LemSnapshot> {
    const { api } = this.deps;
    const signal = this.signal;
    const [stats, skus, used, serverFeatures, licenseFeatures] = await Promise.all([
      api.poolStats(signal),
      api.skus(signal),
      api.allUsed(signal),
      api.serverFeatures(signal),
      api.licenseFeatures(signal),
    ]);
    const poll: LemPoll = { stats, skus, used, serverFeatures, licenseFeatures };
    const at = this.deps.clock.now();
    const snapshot = applyLemPoll(this.deps.board.snapshot(), poll, at, this.settings.match);
    this.deps.board.set(snapshot);
    const failures: Record<string, string> = {};
    for (const part of LEM_PARTS) {
      const outcome = snapshot[part].last;
      if (outcome === null) continue;
      this.deps.metrics.polled(part, outcome);
      if (outcome.kind !== 'ok') failures[part] = outcome.message ?? outcome.label;
    }
    if (Object.keys(failures).length === 0) {
      this.deps.log.info({ ownLicenses: countOwn(snapshot) }, 'LEM poll finished');
    } else {
      this.deps.log.warn(
        { failures },
        'LEM poll did not finish: failed parts keep their last good answer',
      );
    }
    await this.persist(snapshot);
    return snapshot;
  }

  private async persist(snapshot: LemSnapshot): Promise<void> {
    try {
      await this.deps.persist(snapshot);
    } catch (error) {
      // The answers stay in memory; the next poll saves again.
      this.deps.log.error({ err: error }, 'could not save the LEM answers');
    }
  }

  private failed(error: unknown): void {
    if (this.signal.aborted) return;
    this.deps.log.error({ err: error }, 'LEM poll crashed');
  }
}

function countOwn(snapshot: LemSnapshot): number {
  return snapshot.used.value?.own.reduce((n, d) => n + d.licenses.length, 0) ?? 0;
}
