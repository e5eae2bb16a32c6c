import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLemSandbox, type LemSandbox } from '../../src/adapters/sandbox/lem/lem-sandbox.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { startAgent, type RunningAgent } from '../../src/app/start-agent.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { HandScheduler, noMachine } from '../agent/fakes.js';

const LEM_SCHEDULE = '*/7 * * * *';
const LEM_TOKEN = 'lem-token-for-this-test';
const exampleConfig = fileURLToPath(new URL('../../config/agent.example.yaml', import.meta.url));

let sandbox: Sandbox;
let lem: LemSandbox;
let agent: RunningAgent;
let stateDirectory: string;
const scheduler = new HandScheduler();
let sandboxClosed = false;

beforeAll(async () => {
  sandbox = await startSandbox();
  lem = await startLemSandbox({ token: LEM_TOKEN, deviceMac: '00:1a:2b:3c:4d:5e' });
  stateDirectory = await mkdtemp(join(tmpdir(), 'ela-lem-apart-'));
  const base = await loadConfig({ path: exampleConfig, env: {} });
  const config: ResolvedConfig = {
    ...base,
    hardwareIdOverride: 'lem-apart-device',
    stateDirectory,
    upstream: {
      kind: 'licensespring',
      baseUrl: sandbox.url,
      auth: {
        method: 'hmac',
        apiKey: sandbox.credentials.apiKey,
        sharedKey: sandbox.credentials.sharedKey,
      },
      publicKeyPem: sandbox.publicKeyPem,
    },
    sync: { ...base.sync, attempts: 1, timeoutMs: 2_000 },
    http: { ...base.http, host: '127.0.0.1', port: 0 },
    lem: {
      deviceId: 'sandbox-device-000',
      schedule: LEM_SCHEDULE,
      splayMs: 0,
      timeoutMs: 2_000,
      upstream: {
        kind: 'lem',
        baseUrl: lem.url,
        projectId: lem.projectId,
        token: LEM_TOKEN,
        authStyle: 'basic',
        tls: { kind: 'ca', caPem: lem.caPem },
      },
    },
  };
  agent = await startAgent(config, {
    scheduler,
    systemFacts: noMachine,
    logDestination: new Writable({
      write: (_chunk, _encoding, done) => {
        done();
      },
    }),
  });
  await agent.refresh();
  await lemPolled((status) => status.lem.parts.licenseFeatures.last !== null);
});

afterAll(async () => {
  await agent.stop();
  await lem.close();
  if (!sandboxClosed) await sandbox.close();
  await rm(stateDirectory, { recursive: true, force: true });
});

async function get(path: string): Promise<any> {
  return (await fetch(`${agent.url}${path}`)).json();
}

/** Waits until the status says a LEM poll has landed as `done` describes. */
async function lemPolled(done: (status: any) => boolean): Promise<any> {
  const deadline = performance.now() + 15_000;
  let status: any;
  while (performance.now() < deadline) {
    status = await get('/v1/status');
    if (done(status)) return status;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the LEM poll did not land: ${JSON.stringify(status?.lem?.parts)}`);
}

describe('LEM and LicenseSpring apart', () => {
  it('answers LicenseSpring questions unchanged while LEM answers 5xx, and keeps the last LEM answers', async () => {
    const licenseSpring = await get('/v1/features/reporting');
    const lemFeature = await get('/v1/features/lem:catalog');
    expect(licenseSpring).toMatchObject({ allowed: true, reason: 'licensed' });
    expect(lemFeature.reason).toMatch(/^lem_/);

    lem.failWith(503);
    scheduler.fire(LEM_SCHEDULE);
    const status = await lemPolled((s) => s.lem.parts.stats.last?.outcome === 'server_error');

    expect(status.lem.parts.licenseFeatures.last.message).toContain('LEM is unreachable');
    expect(status.lem.device.entries[0].deviceId).toBe('sandbox-device-000');
    expect(await get('/v1/features/reporting')).toEqual(licenseSpring);
    expect(await get('/v1/features/lem:catalog')).toEqual(lemFeature);
    expect(status.offline.failing).toBe(false);
    lem.failWith(null);
  });

  it('answers LEM questions unchanged while LicenseSpring is down', async () => {
    const lemFeature = await get('/v1/features/lem:catalog');
    const before = (await get('/v1/status')).lem.parts.licenseFeatures.lastOkAt;
    await sandbox.close();
    sandboxClosed = true;
    const report = await agent.refresh();
    expect(report.result).toBe('failed');

    scheduler.fire(LEM_SCHEDULE);
    const status = await lemPolled(
      (s) =>
        s.lem.parts.licenseFeatures.last?.outcome === 'ok' &&
        s.lem.parts.licenseFeatures.lastOkAt !== before,
    );
    expect(status.offline.failing).toBe(true);
    expect(status.lem.parts.stats.last.outcome).toBe('ok');
    expect(await get('/v1/features/lem:catalog')).toEqual({
      ...lemFeature,
      lastVerifiedAt: status.lem.parts.licenseFeatures.lastOkAt,
    });
    expect(await get('/v1/features/reporting')).toMatchObject({
      allowed: true,
      reason: 'offline_grace',
    });
  }, 30_000);
});
