import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import {
  openEnvelope,
  sealEnvelope,
  unsealEnvelope,
} from '../../src/adapters/state-store/envelope.js';
import type { SavedState } from '../../src/agent/state-ports.js';
import { getJson, startCli, waitReady, type RunningCli } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-restart-'));
const config = join(dir, 'agent.yaml');
let sandbox: Sandbox;
const running: RunningCli[] = [];

function start(): RunningCli {
  const agent = startCli(['run', '--config', config]);
  running.push(agent);
  return agent;
}

beforeAll(async () => {
  sandbox = await startSandbox();
  writeFileSync(join(dir, 'sandbox.pem'), sandbox.publicKeyPem);
  writeFileSync(
    config,
    [
      'device: { hardwareId: restart-device }',
      'stateDirectory: state',
      'licensespring:',
      `  baseUrl: ${sandbox.url}`,
      '  insecure: { allowPlainHttp: true }',
      '  publicKeyFile: sandbox.pem',
      '  auth:',
      '    method: hmac',
      `    apiKey: { value: ${sandbox.credentials.apiKey} }`,
      `    sharedKey: { value: ${sandbox.credentials.sharedKey} }`,
      'sync: { attempts: 1 }',
      'http: { port: 0 }',
    ].join('\n'),
  );
  // A first life online, to leave a saved state behind.
  const first = start();
  await waitReady(await first.url());
  expect(await first.stop()).toBe(0);
  await sandbox.close();
});

afterAll(async () => {
  for (const agent of running) await agent.stop();
});

describe('a restart with the licence server down', () => {
  it('serves the saved decisions and is ready before any sync succeeds', async () => {
    const agent = start();
    const base = await agent.url();
    await waitReady(base);
    const feature = await getJson(`${base}/v1/features/reporting`);
    expect(feature.body.allowed).toBe(true);
    expect(['active', 'grace']).toContain(feature.body.state);
    const status = await getJson(`${base}/v1/status`);
    expect(status.body.stateFile).toBe('restored');
    expect(status.body.offline.lastGenuineAt).not.toBeNull();
    await agent.stop();
  });

  it('a state file edited to extend a licence is refused: unknown, not ready, counted', async () => {
    const path = join(dir, 'state', 'state.json');
    const original = readFileSync(path);
    // What an editor without the device key can do: write the state it wants, licence extended,
    // sealed under a key of its own. The test opens the real state with the key only to start
    // from it, the file being encrypted.
    const key = readFileSync(join(dir, 'state', 'device.key'));
    const opened = openEnvelope(original);
    if (opened.kind !== 'envelope') throw new Error(`not a version 2 envelope: ${opened.kind}`);
    const unsealed = unsealEnvelope(opened.envelope, key);
    if (unsealed.kind !== 'unsealed') throw new Error(unsealed.detail);
    const edited = JSON.stringify(unsealed.state).replace(
      /\\"validity_period\\":\\"\d{4}/g,
      '\\"validity_period\\":\\"2099',
    );
    expect(edited).not.toBe(JSON.stringify(unsealed.state));
    writeFileSync(path, sealEnvelope(JSON.parse(edited) as SavedState, randomBytes(32)));
    const agent = start();
    const base = await agent.url();
    const status = await getJson(`${base}/v1/status`);
    expect(status.body.stateFile).toBe('refused: tampered');
    expect((await getJson(`${base}/readyz`)).status).toBe(503);
    expect((await getJson(`${base}/v1/features/reporting`)).body).toMatchObject({
      allowed: false,
      state: 'unknown',
    });
    const metrics = await getJson(`${base}/metrics`);
    expect(metrics.text).toMatch(
      /^license_agent_state_load_failures_total\{reason="tampered"\} 1$/m,
    );
    expect(agent.output()).toContain('state file refused');
    await agent.stop();
  });
});
