import type {
  IdentityLoad,
  IdentityStore,
  MachineFacts,
  SystemFacts,
} from '../../src/agent/identity-ports.js';
import type {
  AgentMetrics,
  Clock,
  LicenseApi,
  LogFields,
  Logger,
  Sleep,
  Ticker,
} from '../../src/agent/ports.js';
import type { Scheduler } from '../../src/agent/sync-loop.js';
import type { AgentState } from '../../src/domain/grace.js';
import type { HardwareComponents, StoredIdentity } from '../../src/domain/hardware-id.js';
import type { FeatureGrant, License } from '../../src/domain/license.js';
import { outcomeLabel, type UpstreamOutcome } from '../../src/domain/upstream-outcome.js';

/** A clock that moves only when told to; sleeping advances it, so retries take no real time. */
export class ManualClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
  monotonic(): number {
    return this.at;
  }
  readonly sleeps: number[] = [];
  readonly sleep: Sleep = (ms) => {
    this.sleeps.push(ms);
    this.at += ms;
    return Promise.resolve();
  };
}

export type Script<T> = UpstreamOutcome<T>[];

/** A License API that answers from scripts, one outcome per call, and records what it was asked. */
export class ScriptedApi implements LicenseApi {
  readonly calls: string[] = [];
  constructor(
    public devices: Script<readonly License[]>,
    public features: Map<string, Script<FeatureGrant>> = new Map(),
  ) {}
  deviceLicenses(hardwareId: string): Promise<UpstreamOutcome<readonly License[]>> {
    this.calls.push(`device_licenses ${hardwareId}`);
    return Promise.resolve(next(this.devices));
  }
  checkFeature(request: Parameters<LicenseApi['checkFeature']>[0]) {
    this.calls.push(`check_license_feature ${String(request.licenseId)} ${request.feature}`);
    const script = this.features.get(request.feature) ?? [];
    return Promise.resolve(next(script));
  }
}

function next<T>(script: Script<T>): UpstreamOutcome<T> {
  const outcome = script.length > 1 ? script.shift() : script[0];
  if (outcome === undefined) throw new Error('the script ran out');
  return outcome;
}

export function recordingMetrics(): AgentMetrics & { attempts: string[] } {
  const attempts: string[] = [];
  return {
    attempts,
    upstreamAttempt: (endpoint, outcome) => attempts.push(`${endpoint} ${outcomeLabel(outcome)}`),
    upstreamSucceeded: () => undefined,
    syncFinished: () => undefined,
    nextSync: () => undefined,
    featureAnswered: () => undefined,
    decided: () => undefined,
    identity: () => undefined,
    stateLoadFailed: () => undefined,
    trust: () => undefined,
    stateSaved: () => undefined,
  };
}

export const unreachable = (
  cause: 'connection_refused' | 'server_error' | 'rate_limited' = 'connection_refused',
  retryAfterMs: number | null = null,
): UpstreamOutcome<never> => ({ kind: 'unreachable', cause, status: null, retryAfterMs });

export const genuine = <T>(value: T): UpstreamOutcome<T> => ({
  kind: 'genuine',
  value,
  evidence: { body: JSON.stringify(value), signature: null },
  serverDate: null,
});

/** A machine with no facts: the configured hardware ID decides, and nothing of the host is read. */
export const noMachine: SystemFacts = {
  read: () =>
    Promise.resolve({
      components: { mac: null, machineId: null, dmiUuid: null },
      sources: { mac: [], machineId: [], dmiUuid: [] },
      interfaces: [],
    }),
};

/**
 * Time that moves only when the test says so. A sleep resolves once the test has advanced past its
 * end, or rejects with the signal's reason when the signal aborts first, as the real one does.
 */
export class SteppedTime implements Clock {
  /** Every delay asked for, in order, whether it ran out or not. */
  readonly requested: number[] = [];
  /** How many sleeps ended by their signal aborting. */
  aborted = 0;
  /** Where someone set the wall clock, relative to the time that passed; the monotonic clock ignores it. */
  wallOffsetMs = 0;
  private elapsed = 0;
  private waiting: { until: number; wake: () => void }[] = [];

  constructor(private readonly origin: number) {}

  now(): number {
    return this.origin + this.elapsed + this.wallOffsetMs;
  }
  monotonic(): number {
    return this.elapsed;
  }

  readonly sleep: Sleep = (ms, signal) => {
    this.requested.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        this.aborted++;
        reject(signal.reason as Error);
        return;
      }
      const entry = {
        until: this.elapsed + ms,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.waiting = this.waiting.filter((w) => w !== entry);
        this.aborted++;
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  };

  /** Sleeps not yet over. */
  pending(): number {
    return this.waiting.length;
  }

  /** Moves both clocks on and wakes every sleep that has run out. */
  advance(ms: number): void {
    this.elapsed += ms;
    const due = this.waiting.filter((w) => w.until <= this.elapsed);
    this.waiting = this.waiting.filter((w) => w.until > this.elapsed);
    for (const w of due) w.wake();
  }
}

/** A scheduler whose ticks the test fires by hand, per cron expression. */
export class HandScheduler implements Scheduler {
  readonly tasks: { expression: string; onTick: () => void; stopped: boolean }[] = [];

  every(expression: string, onTick: () => void): { stop(): void } {
    const task = { expression, onTick, stopped: false };
    this.tasks.push(task);
    return {
      stop: () => {
        task.stopped = true;
      },
    };
  }

  /**
   * Fires the tasks on this expression that are still scheduled; `evenIfStopped` also fires stopped
   * ones, as a tick already under way in the real scheduler when `stop()` was called would.
   */
  fire(expression: string, options: { evenIfStopped?: boolean } = {}): void {
    const tasks = this.tasks.filter((t) => t.expression === expression);
    if (tasks.length === 0) throw new Error(`nothing is scheduled on ${expression}`);
    for (const task of tasks) if (!task.stopped || options.evenIfStopped === true) task.onTick();
  }

  live(): string[] {
    return this.tasks.filter((t) => !t.stopped).map((t) => t.expression);
  }
}

/** A monotonic ticker whose ticks the test fires by hand. */
export class HandTicker implements Ticker {
  readonly tasks: { ms: number; onTick: () => void; stopped: boolean }[] = [];

  every(ms: number, onTick: () => void): { stop(): void } {
    const task = { ms, onTick, stopped: false };
    this.tasks.push(task);
    return {
      stop: () => {
        task.stopped = true;
      },
    };
  }

  /** Fires every task still running. */
  fire(): void {
    const live = this.tasks.filter((t) => !t.stopped);
    if (live.length === 0) throw new Error('nothing ticks');
    for (const task of live) task.onTick();
  }

  live(): number[] {
    return this.tasks.filter((t) => !t.stopped).map((t) => t.ms);
  }
}

/**
 * A License API whose `device_licenses` calls stay unanswered until the test answers them, so a
 * sync can be held in flight. Feature checks are not expected: tests using it configure none.
 */
export class HeldApi implements LicenseApi {
  readonly calls: string[] = [];
  private held: {
    resolve: (outcome: UpstreamOutcome<readonly License[]>) => void;
    reject: (error: Error) => void;
  }[] = [];

  deviceLicenses(hardwareId: string): Promise<UpstreamOutcome<readonly License[]>> {
    this.calls.push(`device_licenses ${hardwareId}`);
    return new Promise((resolve, reject) => this.held.push({ resolve, reject }));
  }
  checkFeature(request: Parameters<LicenseApi['checkFeature']>[0]): never {
    throw new Error(`unexpected check_license_feature ${request.feature}`);
  }

  /** Calls asked and not answered yet. */
  waiting(): number {
    return this.held.length;
  }

  /** Answers the oldest call still waiting. */
  answer(outcome: UpstreamOutcome<readonly License[]>): void {
    const call = this.held.shift();
    if (call === undefined) throw new Error('no call is waiting for an answer');
    call.resolve(outcome);
  }

  /** Makes the oldest call still waiting throw, as an adapter bug would. */
  crash(error: Error): void {
    const call = this.held.shift();
    if (call === undefined) throw new Error('no call is waiting for an answer');
    call.reject(error);
  }
}

/** An in-memory persist function: records each state, and fails or holds saves on request. */
export function memoryPersist() {
  const saved: AgentState[] = [];
  const held: (() => void)[] = [];
  const control = {
    saved,
    /** While set, every save rejects with this error and records nothing. */
    failWith: null as Error | null,
    /** While set, every save waits until `release()`. */
    hold: false,
    /** Saves waiting for `release()`. */
    held: () => held.length,
    release: () => {
      for (const done of held.splice(0)) done();
    },
    persist: async (state: AgentState): Promise<void> => {
      if (control.hold) await new Promise<void>((resolve) => held.push(resolve));
      if (control.failWith !== null) throw control.failWith;
      saved.push(state);
    },
  };
  return control;
}

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: LogFields;
  readonly message: string;
}

/** A logger that keeps every line, children included, in one list. */
export function recordingLogger(entries: LogEntry[] = []): Logger & { entries: LogEntry[] } {
  const line =
    (level: LogEntry['level']) =>
    (fields: LogFields, message: string): void => {
      entries.push({ level, fields, message });
    };
  return {
    entries,
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: () => recordingLogger(entries),
  };
}

/** A machine whose facts are these components, each found at one made-up source. */
export function machineWith(components: HardwareComponents): SystemFacts & { reads: number } {
  const facts = {
    reads: 0,
    read: () => {
      facts.reads++;
      return Promise.resolve({
        components,
        sources: {
          mac: [{ source: 'test', result: components.mac === null ? 'not-found' : 'used' }],
          machineId: [
            { source: 'test', result: components.machineId === null ? 'not-found' : 'used' },
          ],
          dmiUuid: [{ source: 'test', result: components.dmiUuid === null ? 'not-found' : 'used' }],
        },
        interfaces: [],
      } satisfies MachineFacts);
    },
  };
  return facts;
}

/**
 * An identity store in memory. `load` answers what is stored, or the `loadAs` outcome when set;
 * `save` keeps the identity, or rejects with `saveFailsWith` when set.
 */
export class MemoryIdentityStore implements IdentityStore {
  readonly saves: StoredIdentity[] = [];
  loadAs: IdentityLoad | null = null;
  saveFailsWith: Error | null = null;

  constructor(public stored: StoredIdentity | null = null) {}

  load(): Promise<IdentityLoad> {
    if (this.loadAs !== null) return Promise.resolve(this.loadAs);
    return Promise.resolve(
      this.stored === null ? { kind: 'absent' } : { kind: 'loaded', identity: this.stored },
    );
  }

  save(identity: StoredIdentity): Promise<void> {
    if (this.saveFailsWith !== null) return Promise.reject(this.saveFailsWith);
    this.saves.push(identity);
    this.stored = identity;
    return Promise.resolve();
  }
}

/** Lets every promise callback already queued run, and the ones those queue: no time passes. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
