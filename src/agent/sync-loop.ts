import { AgentError } from '../domain/agent-error.js';
import type { CadenceSettings, NextSync } from '../domain/cadence.js';
import type { Decisions } from '../domain/decision.js';
import type { Instant } from '../domain/time.js';
import type { AgentState } from '../domain/grace.js';
import { splayOffsetMs } from '../domain/splay.js';
import { syncBoundaries } from '../domain/sync-boundaries.js';
import { outcomeLabel } from '../domain/upstream-outcome.js';
import type { RetryDeps } from './call-with-retry.js';
import type { DecisionBoard } from './decision-board.js';
import type { LicenseApi, Logger, Ticker } from './ports.js';
import { runSyncCycle, type SeatGate, type SyncReport, type SyncSettings } from './sync-cycle.js';
import { syncEvent, type SyncTrigger } from './sync-event.js';
import { SyncPlanner } from './sync-planner.js';

/** Calls `onTick` on a cron schedule (in UTC) until stopped; croner implements it. */
export interface Scheduler {
  every(expression: string, onTick: () => void): ScheduledTask;
}

export interface ScheduledTask {
  stop(): void;
  /** The next tick; null when there is none. Absent where a scheduler cannot tell (by hand). */
  next?(): Instant | null;
}

export interface SyncLoopDeps extends RetryDeps {
  readonly api: LicenseApi;
  readonly board: DecisionBoard;
  readonly scheduler: Scheduler;
  /** Runs the clock watch and the safety net, which must not depend on the wall clock. */
  readonly ticker: Ticker;
  readonly log: Logger;
  /** Durably saves the state; rejects when it could not. */
  readonly persist: (state: AgentState) => Promise<void>;
  readonly seats?: SeatGate;
}

/**
 * Every minute of monotonic time: a clock moved back is noticed within a minute even between
 * syncs, and even though the cron schedule, which follows the wall clock, may have stopped.
 */
const CLOCK_WATCH_MS = 60 * 1000;
/** The highest instant seen is saved at least this often, so a restart cannot lose much of it. */
const CLOCK_SAVE_INTERVAL_MS = 10 * 60 * 1000;

export interface SyncLoopSettings extends SyncSettings {
  /** A cron schedule the operator chose; null: the adaptive cadence (`cadence`) decides. */
  readonly schedule: string | null;
  readonly splayMs: number;
  /** The longest time between two ticks of `schedule`; Infinity if it never ticks. */
  readonly scheduleLongestGapMs: number;
  readonly cadence: CadenceSettings;
  /** The offline grace, whose end the cadence approaches faster while the server is away. */
  readonly offlineGraceMs: number;
}

/**
 * Syncs once at start, then on the schedule, each tick delayed by this device's own splay so that a
 * fleet on the same schedule spreads its calls. A refresh is answered by a sync that starts after
 * it was asked for: one asked for while a sync runs waits for it, then shares one more sync with
 * every other refresh asked for meanwhile. A tick that finds a sync running joins it.
 */
export class SyncLoop {
  private inFlight: Promise<SyncReport> | null = null;
  /** The one sync that follows the sync in flight, for the refreshes asked for during it. */
  private queued: Promise<SyncReport> | null = null;
  private stopped = false;
  private last: SyncReport | null = null;
  private stopSchedule: (() => void) | null = null;
  private savedHighest = 0;
  private nextTick: () => Instant | null = () => null;
  /** A tick has fired and waits out the splay: the next sync starts then. */
  private pendingAt: Instant | null = null;
  /** The monotonic reading when the latest sync started; the safety net measures from it. */
  private lastStartedAt: number | null = null;
  /** The adaptive cadence; null when a cron schedule decides. */
  private readonly planner: SyncPlanner | null;
  private planned: NextSync | null = null;
  private planTimer: { stop(): void } | null = null;

  constructor(
    private readonly deps: SyncLoopDeps,
    private readonly settings: SyncLoopSettings,
    private readonly signal: AbortSignal,
  ) {
    this.planner =
      settings.schedule === null
        ? new SyncPlanner(
            settings.cadence,
            splayOffsetMs(settings.hardwareId, settings.cadence.maxIntervalMs),
          )
        : null;
  }

  /** Starts the schedule and the first sync, which `trigger` started (a boot, or a reload). */
  start(trigger: Extract<SyncTrigger, 'boot' | 'reload'> = 'boot'): void {
    const { schedule } = this.settings;
    const task =
      schedule === null
        ? null
        : this.deps.scheduler.every(schedule, () => {
            void this.tick();
          });
    const clock = this.deps.ticker.every(CLOCK_WATCH_MS, () => {
      this.observeClock().catch((error: unknown) => {
        this.failed(error);
      });
      if (task === null) this.syncIfPlannedTimePassed();
      else this.syncIfOverdue();
    });
    this.nextTick = () => task?.next?.() ?? null;
    this.stopSchedule = () => {
      task?.stop();
      clock.stop();
      this.planTimer?.stop();
      this.planTimer = null;
    };
    this.signal.addEventListener(
      'abort',
      () => {
        void this.stop();
      },
      { once: true },
    );
    if (this.planner !== null && trigger === 'boot') {
      const first = this.planner.first(this.deps.board.trustedNow(), this.hasUsableAnswers());
      if (first.reason === 'slot') {
        this.deps.log.info(
          { nextSyncAt: new Date(first.at) },
          "answering from the saved state; the first sync waits for this device's slot in the hour",
        );
        this.plan(first);
        return;
      }
    }
    this.joinOrStart(trigger).catch((error: unknown) => {
      this.failed(error);
    });
  }

  /**
   * Stops the schedule, then waits for a sync in flight, so that nothing writes state after. No
   * sync starts once stopped, queued or not.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSchedule?.();
    this.stopSchedule = null;
    await this.inFlight?.catch(() => undefined);
  }

  /** A sync is in flight (it may be saving the state its answers led to). */
  running(): boolean {
    return this.inFlight !== null;
  }

  lastReport(): SyncReport | null {
    return this.last;
  }

  /** The delay after each scheduled tick before this device calls the server. */
  splayMs(): number {
    return splayOffsetMs(this.settings.hardwareId, this.settings.splayMs);
  }

  /** When the next scheduled sync starts (tick plus splay); null when stopped or unknown. */
  nextSyncAt(): Instant | null {
    return this.nextSync()?.at ?? null;
  }

  /**
   * The next sync and why then: the adaptive cadence's plan, or the schedule's next tick plus
   * splay (reason `steady`); null when stopped, while a sync runs under the cadence, or unknown.
   */
  nextSync(): NextSync | null {
    if (this.stopped) return null;
    if (this.planner !== null) return this.planned;
    if (this.pendingAt !== null) return { at: this.pendingAt, reason: 'steady', boundary: null };
    const tick = this.nextTick();
    return tick === null ? null : { at: tick + this.splayMs(), reason: 'steady', boundary: null };
  }

  /**
   * A sync that starts after this call, so that its answers are at least as new as the question:
   * the one in flight may have asked the server long before.
   */
  refresh(trigger: Extract<SyncTrigger, 'refresh' | 'signal'> = 'refresh'): Promise<SyncReport> {
    const running = this.inFlight;
    if (running === null) return this.joinOrStart(trigger);
    this.queued ??= running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        // A tick may have started one since: it too started after the refreshes queued here.
        return this.joinOrStart(trigger);
      });
    return this.queued;
  }

  /** Nothing starts once the loop has stopped: a sync then would write state after `stop()`. */
  private joinOrStart(trigger: SyncTrigger): Promise<SyncReport> {
    if (this.stopped)
      return Promise.reject(new AgentError('agent_stopping', 'the agent is stopping'));
    if (this.inFlight === null) this.lastStartedAt = this.deps.clock.monotonic();
    // Joining a sync in flight: it keeps the trigger that started it.
    this.inFlight ??= this.sync(trigger).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * The safety net under the cron schedule, which follows the wall clock: set back an hour, it
   * fires no tick for that hour. A sync is due anyway once none has started for longer than the
   * schedule's longest gap plus the splay, measured on the monotonic clock, which nothing resets.
   */
  private syncIfOverdue(): void {
    if (this.stopped || this.inFlight !== null || this.lastStartedAt === null) return;
    const sinceMs = this.deps.clock.monotonic() - this.lastStartedAt;
    if (sinceMs <= this.settings.scheduleLongestGapMs + this.settings.splayMs) return;
    this.deps.log.warn(
      {
        sinceLastSyncMs: sinceMs,
        schedule: this.settings.schedule,
        wallClock: new Date(this.deps.clock.now()),
      },
      'no sync started on schedule (is the wall clock wrong?): syncing now',
    );
    this.joinOrStart('safety-net').catch((error: unknown) => {
      this.failed(error);
    });
  }

  /**
   * Waits for the planned sync on a monotonic timer (a wall clock set back does not hold it off);
   * the minute's clock watch starts it too, should the timer have been missed.
   */
  private plan(next: NextSync): void {
    this.planTimer?.stop();
    this.planned = next;
    if (this.stopped) return;
    const delayMs = Math.max(0, next.at - this.deps.board.trustedNow());
    const timer = this.deps.ticker.every(Math.max(1, delayMs), () => {
      timer.stop();
      if (this.planTimer === timer) this.planTimer = null;
      this.startPlanned();
    });
    this.planTimer = timer;
  }

  private syncIfPlannedTimePassed(): void {
    if (this.planned !== null && this.planned.at <= this.deps.board.trustedNow())
      this.startPlanned();
  }

  private startPlanned(): void {
    if (this.stopped || this.inFlight !== null) return;
    this.planTimer?.stop();
    this.planTimer = null;
    this.planned = null;
    this.joinOrStart('schedule').catch((error: unknown) => {
      this.failed(error);
    });
  }

  /** Saved answers the agent may still stand on: the first sync can wait for this device's slot. */
  private hasUsableAnswers(): boolean {
    const { lastGenuineAt } = this.deps.board.state().trust;
    return (
      this.deps.board.ready() &&
      lastGenuineAt !== null &&
      this.deps.board.trustedNow() < lastGenuineAt + this.settings.offlineGraceMs
    );
  }

  /** After every sync, whatever started it, the cadence plans the next from what it learned. */
  private planAfter(report: SyncReport, startedAt: Instant): void {
    if (this.planner === null || this.stopped) return;
    this.planner.record({
      startedAt,
      calls: report.calls,
      rateLimited: report.rateLimited,
      finishedAt: report.finishedAt,
    });
    const now = this.deps.board.trustedNow();
    const boundaries = syncBoundaries(this.deps.board.state(), this.settings.offlineGraceMs);
    this.plan(this.planner.plan(now, boundaries, this.hasUsableAnswers()));
  }

  private async tick(): Promise<void> {
    try {
      this.pendingAt = this.deps.clock.now() + this.splayMs();
      await this.deps.sleep(this.splayMs(), this.signal);
      this.pendingAt = null;
      await this.joinOrStart('schedule');
    } catch (error) {
      this.pendingAt = null;
      this.failed(error);
    }
  }

  private async sync(trigger: SyncTrigger): Promise<SyncReport> {
    const startedAt = this.deps.board.trustedNow();
    // A sync started by anything else (a refresh) takes the planned one's place.
    this.planTimer?.stop();
    this.planTimer = null;
    this.planned = null;
    const held = this.deps.board.state();
    const { observations, report } = await runSyncCycle(
      this.deps,
      this.settings,
      held.observations,
      this.signal,
      this.deps.board.trustedNow(),
    );
    const trustedBefore = this.deps.board.trustedNow();
    const correctionsBefore = this.deps.board.state().trust.timeCorrections;
    const { before, after, state } = this.deps.board.apply(
      syncEvent(report.deviceLicenses, observations),
    );
    if (state.trust.timeCorrections > correctionsBefore) {
      this.deps.log.warn(
        {
          backMs: trustedBefore - state.trust.highestTrustedAt,
          trustedNow: new Date(state.trust.highestTrustedAt),
        },
        "trusted time brought back: the server's Date and the wall clock agree on an earlier time",
      );
    }
    this.last = report;
    this.deps.metrics.syncFinished(report.result, report.finishedAt);
    this.logReport(report, trigger);
    logChanges(this.deps.log, before, after);
    // Planned before the save, so that whoever sees the new answers also sees the next sync.
    this.planAfter(report, startedAt);
    await this.persist(state);
    return report;
  }

  /**
   * Notes the time (catching a clock moved back), and keeps the highest instant on disk, with the
   * monotonic reading that carries it on after a restart within this boot.
   */
  private async observeClock(): Promise<void> {
    const before = this.deps.board.state().trust;
    const { state } = this.deps.board.apply({ kind: 'clock-observed' });
    const after = state.trust;
    if (after.clockRollbacks > before.clockRollbacks) {
      this.deps.log.warn(
        { behindMs: after.clockBehindMs, trustedNow: new Date(after.highestTrustedAt) },
        'the wall clock moved back: decisions keep to trusted time, which runs on monotonically',
      );
    }
    if (after.highestTrustedAt - this.savedHighest >= CLOCK_SAVE_INTERVAL_MS)
      await this.persist(state);
  }

  private async persist(state: AgentState): Promise<void> {
    try {
      await this.deps.persist(state);
      this.savedHighest = state.trust.highestTrustedAt;
    } catch (error) {
      // The agent keeps answering from memory; the next sync tries again.
      this.deps.log.error({ err: error }, 'could not save the state');
    }
  }

  private logReport(report: SyncReport, trigger: SyncTrigger): void {
    const fields = {
      trigger,
      result: report.result,
      deviceLicenses: outcomeLabel(report.deviceLicenses),
      featureChecks: report.featureChecks.length,
    };
    if (report.result === 'ok') this.deps.log.info(fields, 'sync finished');
    else this.deps.log.warn({ ...fields, detail: report.deviceLicenses }, 'sync did not finish');
  }

  private failed(error: unknown): void {
    if (this.signal.aborted) return;
    this.deps.log.error({ err: error }, 'sync crashed');
  }
}

function logChanges(log: Logger, before: Decisions, after: Decisions): void {
  const previous = new Map(before.features.map((f) => [f.code, f]));
  for (const feature of after.features) {
    const was = previous.get(feature.code);
    if (was?.state === feature.state && was.reason === feature.reason) continue;
    log.info(
      {
        feature: feature.code,
        from: was?.state ?? 'absent',
        to: feature.state,
        reason: feature.reason,
      },
      'feature decision changed',
    );
  }
}
