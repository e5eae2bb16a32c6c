import type { Decisions } from '../domain/decision.js';
import { splayOffsetMs } from '../domain/splay.js';
import { outcomeLabel } from '../domain/upstream-outcome.js';
import type { RetryDeps } from './call-with-retry.js';
import type { DecisionBoard } from './decision-board.js';
import type { LicenseApi, Logger } from './ports.js';
import { runSyncCycle, type SyncReport, type SyncSettings } from './sync-cycle.js';

/** Calls `onTick` on a cron schedule until stopped; node-cron implements it. */
export interface Scheduler {
  every(expression: string, onTick: () => void): { stop(): void };
}

export interface SyncLoopDeps extends RetryDeps {
  readonly api: LicenseApi;
  readonly board: DecisionBoard;
  readonly scheduler: Scheduler;
  readonly log: Logger;
}

export interface SyncLoopSettings extends SyncSettings {
  readonly schedule: string;
  readonly splayMs: number;
}

/**
 * Syncs once at start, then on the schedule, each tick delayed by this device's own splay so that a
 * fleet on the same schedule spreads its calls. A refresh asked for while a sync runs joins it.
 */
export class SyncLoop {
  private running: Promise<SyncReport> | null = null;
  private last: SyncReport | null = null;
  private stopSchedule: (() => void) | null = null;

  constructor(
    private readonly deps: SyncLoopDeps,
    private readonly settings: SyncLoopSettings,
    private readonly signal: AbortSignal,
  ) {}

  start(): void {
    const task = this.deps.scheduler.every(this.settings.schedule, () => {
      void this.tick();
    });
    this.stopSchedule = () => {
      task.stop();
    };
    this.signal.addEventListener(
      'abort',
      () => {
        this.stop();
      },
      { once: true },
    );
    this.refresh().catch((error: unknown) => {
      this.failed(error);
    });
  }

  stop(): void {
    this.stopSchedule?.();
    this.stopSchedule = null;
  }

  lastReport(): SyncReport | null {
    return this.last;
  }

  /** The delay after each scheduled tick before this device calls the server. */
  splayMs(): number {
    return splayOffsetMs(this.settings.hardwareId, this.settings.splayMs);
  }

  refresh(): Promise<SyncReport> {
    this.running ??= this.sync().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      await this.deps.sleep(this.splayMs(), this.signal);
      await this.refresh();
    } catch (error) {
      this.failed(error);
    }
  }

  private async sync(): Promise<SyncReport> {
    const { observations, report } = await runSyncCycle(
      this.deps,
      this.settings,
      this.deps.board.known(),
      this.signal,
    );
    const { before, after } = this.deps.board.update(observations);
    this.last = report;
    this.deps.metrics.syncFinished(report.result, report.finishedAt);
    this.logReport(report);
    logChanges(this.deps.log, before, after);
    return report;
  }

  private logReport(report: SyncReport): void {
    const fields = {
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
