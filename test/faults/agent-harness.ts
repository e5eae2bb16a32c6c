import type { MachineVerdict } from '../../src/domain/machine-verdict.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import type { Clock } from '../../src/agent/ports.js';
import type { Scheduler } from '../../src/agent/sync-loop.js';
import type { Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { createStateStore } from '../../src/adapters/state-store/state-store.js';
import { startAgent, type RunningAgent } from '../../src/app/start-agent.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { HandTicker, noMachine } from '../agent/fakes.js';

export const HARDWARE_ID = 'fault-device';
export const HOUR = 3_600_000;
export const GRACE_MS = 72 * HOUR;
/** Per request, and attempts per call: a hang costs TIMEOUT_MS × ATTEMPTS of real time. */
export const TIMEOUT_MS = 800;
export const ATTEMPTS = 2;

/**
 * The real wall clock plus an offset a test moves: the sandbox judges request `Date` headers by
 * the real clock, so at offset 0 it accepts the agent, and a jump past the grace needs no sleep.
 * The monotonic clock has an offset of its own: the time that passed, whatever the wall clock
 * says. Both agents of a restart in one test read the same one, as two processes of a boot do.
 */
export class OffsetClock implements Clock {
  offsetMs = 0;
  monotonicOffsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  monotonic(): number {
    return performance.now() + this.monotonicOffsetMs;
  }
  /** Real time passes: both clocks move on, as they would if the test waited. */
  pass(ms: number): void {
    this.offsetMs += ms;
    this.monotonicOffsetMs += ms;
  }
}

/** The boot ID the harness's agents read, unless a test says otherwise. */
const PHYSICAL: MachineVerdict = {
  kind: 'physical',
  basis: ['the test says so'],
  overridden: false,
};

export const BOOT_ID = '0f3c6a52-7d1e-4b8a-9c2f-5e6d7a8b9c0d';

/** Syncs happen at start and when a test calls `refresh()`, never on a timer. */
const neverTicks: Scheduler = { every: () => ({ stop: () => undefined }) };

/** One JSON log line. */
export type LogLine = Readonly<Record<string, unknown>> & { level: string; msg: string };

export interface FaultAgent {
  readonly agent: RunningAgent;
  readonly clock: OffsetClock;
  /** The agent's minute clock watch (and sync safety net): it ticks only when the test fires it. */
  readonly ticker: HandTicker;
  readonly logs: LogLine[];
  feature(code: string): Promise<Record<string, any>>;
  status(): Promise<Record<string, any>>;
  /** The saved state, as the agent's own store loads it from `state.json` (it is encrypted). */
  savedState(): Promise<Record<string, any>>;
  /** Stops this agent and starts another on the same state directory and clock. */
  restart(options?: { bootId?: string | null }): Promise<FaultAgent>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Shared by the agents of a restart. */
  readonly clock?: OffsetClock;
  readonly stateDirectory?: string;
  /** The boot ID the agent reads; null as when /proc/sys is hidden. */
  readonly bootId?: string | null;
  /** What the machine is found to be; physical by default, without running the probe. */
  readonly machine?: MachineVerdict;
}

const exampleConfig = fileURLToPath(new URL('../../config/agent.example.yaml', import.meta.url));

/**
 * The agent in-process, against the sandbox through `upstreamUrl`, in a fresh state directory;
 * `adjust` changes the harness's config before the agent starts.
 */
export async function startFaultAgent(
  sandbox: Sandbox,
  upstreamUrl: string,
  adjust: (config: ResolvedConfig) => ResolvedConfig = (config) => config,
  options: HarnessOptions = {},
): Promise<FaultAgent> {
  const base = await loadConfig({ path: exampleConfig, env: {} });
  const stateDirectory = options.stateDirectory ?? (await mkdtemp(join(tmpdir(), 'ela-faults-')));
  const config: ResolvedConfig = {
    ...base,
    hardwareIdOverride: HARDWARE_ID,
    stateDirectory,
    upstream: {
      kind: 'licensespring',
      baseUrl: upstreamUrl,
      auth: {
        method: 'hmac',
        apiKey: sandbox.credentials.apiKey,
        sharedKey: sandbox.credentials.sharedKey,
      },
      publicKeyPem: sandbox.publicKeyPem,
    },
    http: { ...base.http, host: '127.0.0.1', port: 0 },
    log: { level: 'debug' },
    // The example config's LEM sandbox is not what these tests are about, and making its
    // certificate competes for the CPU with the timeouts they measure.
    lem: null,
    // Activation has tests of its own; here it would add calls the fault tests count.
    activate: [],
    sync: {
      ...base.sync,
      timeoutMs: TIMEOUT_MS,
      attempts: ATTEMPTS,
      backoffBaseMs: 10,
      backoffMaxMs: 20,
      maxRetryAfterMs: 2_000,
    },
    offline: { graceMs: GRACE_MS, rollbackToleranceMs: 5 * 60_000 },
  };
  const clock = options.clock ?? new OffsetClock();
  const ticker = new HandTicker();
  const bootId = options.bootId === undefined ? BOOT_ID : options.bootId;
  const logs: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') logs.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  const agent = await startAgent(adjust(config), {
    clock,
    scheduler: neverTicks,
    ticker,
    systemFacts: noMachine,
    bootFacts: { bootId: () => Promise.resolve(bootId) },
    detectMachine: () => Promise.resolve(options.machine ?? PHYSICAL),
    // Backoff without jitter: the only waits are the fixed floors (Retry-After), so runs repeat.
    random: () => 0,
    logDestination: destination,
  });
  const get = async (path: string): Promise<Record<string, any>> => {
    const response = await fetch(`${agent.url}${path}`);
    return (await response.json()) as Record<string, any>;
  };
  return {
    agent,
    clock,
    ticker,
    logs,
    feature: (code) => get(`/v1/features/${encodeURIComponent(code)}`),
    status: () => get('/v1/status'),
    savedState: async () => {
      const loaded = await createStateStore({ directory: stateDirectory }).load(HARDWARE_ID);
      if (loaded.kind !== 'loaded') throw new Error(`no saved state: ${JSON.stringify(loaded)}`);
      return loaded.state;
    },
    restart: async (again = {}) => {
      await agent.stop();
      return startFaultAgent(sandbox, upstreamUrl, adjust, {
        clock,
        stateDirectory,
        bootId: again.bootId === undefined ? bootId : again.bootId,
        ...(options.machine === undefined ? {} : { machine: options.machine }),
      });
    },
    stop: async () => {
      await agent.stop();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}
