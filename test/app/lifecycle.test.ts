import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Scheduler } from '../../src/agent/sync-loop.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import {
  HANDLED_SIGNALS,
  runAgentUntilStopped,
  type SignalSource,
} from '../../src/app/lifecycle.js';
import type { RunningAgent } from '../../src/app/start-agent.js';
import { loadConfig } from '../../src/config/load-config.js';
import { noMachine } from '../agent/fakes.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), 'ela-lifecycle-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const neverTicks: Scheduler = { every: () => ({ stop: () => undefined }) };

/** The agent's signals from an emitter the test raises, not from the test process itself. */
class FakeSignals extends EventEmitter implements SignalSource {}

async function startAndWatch(
  logs: string[],
  signals: FakeSignals,
  beforeStart: () => Promise<void> = () => Promise.resolve(),
) {
  const base = await loadConfig({ path: 'config/agent.example.yaml', env: {} });
  const config = {
    ...base,
    hardwareIdOverride: 'lifecycle-device',
    stateDirectory: join(dir, 'state'),
    upstream: {
      kind: 'licensespring' as const,
      baseUrl: sandbox.url,
      auth: {
        method: 'hmac' as const,
        apiKey: sandbox.credentials.apiKey,
        sharedKey: sandbox.credentials.sharedKey,
      },
      publicKeyPem: null,
    },
    http: { ...base.http, port: 0 },
  };
  let started: RunningAgent | undefined;
  const running = runAgentUntilStopped(
    async () => {
      await beforeStart();
      return config;
    },
    {
      signals,
      overrides: {
        scheduler: neverTicks,
        systemFacts: noMachine,
        logDestination: new Writable({
          write(chunk: Buffer, _encoding, done) {
            logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
            done();
          },
        }),
      },
      onStarted: (agent) => {
        started = agent;
      },
    },
  );
  while (started === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  return { running, agent: started };
}

describe('the agent as a process', () => {
  it('syncs on SIGUSR1, stops on SIGTERM, and leaves no signal listener behind', async () => {
    const logs: string[] = [];
    const signals = new FakeSignals();
    const { running, agent } = await startAndWatch(logs, signals);
    for (const signal of HANDLED_SIGNALS) expect(signals.listenerCount(signal)).toBe(1);
    await agent.refresh();
    const syncs = () => sandbox.requests().filter((r) => r.path.endsWith('device_licenses')).length;
    const before = syncs();
    signals.emit('SIGUSR1');
    await vi.waitFor(() => {
      expect(syncs()).toBe(before + 1);
    });

    signals.emit('SIGTERM');
    await running;
    expect(logs.some((line) => line.includes('"agent stopped"'))).toBe(true);
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGUSR1'])
      expect(signals.listenerCount(signal)).toBe(0);
    await expect(fetch(`${agent.url}/healthz`)).rejects.toThrow();
  });

  it('says at every start that answers are not signature-checked or travel over plain http', async () => {
    const logs: string[] = [];
    const signals = new FakeSignals();
    const { running } = await startAndWatch(logs, signals);
    signals.emit('SIGINT');
    await running;
    const warnings = logs.map((line) => JSON.parse(line)).filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.setting)).toEqual(
      expect.arrayContaining([
        'licensespring.insecure.allowUnverifiedAnswers',
        'licensespring.insecure.allowPlainHttp',
      ]),
    );
  });

  it('reloads on SIGHUP and answers SIGUSR2 with a log line, instead of dying', async () => {
    const logs: string[] = [];
    const signals = new FakeSignals();
    const { running, agent } = await startAndWatch(logs, signals);
    signals.emit('SIGHUP');
    signals.emit('SIGUSR2');
    const lines = () => logs.map((line) => JSON.parse(line));
    expect(
      lines()
        .filter((l) => l.signal !== undefined)
        .map((l) => [l.level, l.signal]),
    ).toEqual([
      ['info', 'SIGHUP'],
      ['warn', 'SIGUSR2'],
    ]);
    await vi.waitFor(() => {
      expect(lines().some((l) => l.msg === 'configuration reloaded')).toBe(true);
    });
    expect((await fetch(`${agent.url}/healthz`)).status).toBe(200);
    signals.emit('SIGTERM');
    await running;
  });

  it('takes signals that come while the config loads: a stop asked then stops once started', async () => {
    const logs: string[] = [];
    const signals = new FakeSignals();
    const handlersWhileLoading: number[] = [];
    const { running } = await startAndWatch(logs, signals, () => {
      // Handlers are in before the config is even read.
      handlersWhileLoading.push(...HANDLED_SIGNALS.map((signal) => signals.listenerCount(signal)));
      signals.emit('SIGUSR1');
      signals.emit('SIGHUP');
      signals.emit('SIGTERM');
      return Promise.resolve();
    });
    await running;
    const lines = logs.map((line) => JSON.parse(line));
    expect(lines.filter((l) => l.msg === 'signal during start').map((l) => l.signal)).toEqual([
      'SIGUSR1',
      'SIGHUP',
    ]);
    expect(lines.some((l) => l.msg === 'agent stopped')).toBe(true);
    expect(handlersWhileLoading).toEqual(HANDLED_SIGNALS.map(() => 1));
  });
});
