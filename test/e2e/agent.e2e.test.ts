import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import {
  SANDBOX_EXPIRED_LICENSE_KEY,
  SANDBOX_LICENSE_KEY,
} from '../../src/adapters/sandbox/fixture-licenses.js';
import { getJson, runCli, startCli, waitReady, type RunningCli } from './cli-process.js';

const PROMTOOL = '/usr/bin/promtool';
let sandbox: Sandbox;
let agent: RunningCli;
let base: string;
let exitCode: number | null;
const dir = mkdtempSync(join(tmpdir(), 'ela-e2e-'));

// Secrets in the form an operator gives them: a file, and a systemd credential.
const API_KEY = 'e2e-api-key-5f1c0b7e';
const SHARED_KEY = 'e2e-shared-key-a93d44e1';

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY, sharedKey: SHARED_KEY });
  const credentials = join(dir, 'credentials');
  spawnSync('mkdir', ['-p', credentials]);
  writeFileSync(join(credentials, 'licensespring-api-key'), `${API_KEY}\n`);
  writeFileSync(join(dir, 'shared-key'), `${SHARED_KEY}\n`);
  writeFileSync(join(dir, 'sandbox.pem'), sandbox.publicKeyPem);
  writeFileSync(
    join(dir, 'agent.yaml'),
    [
      'device: { hardwareId: e2e-device-0001 }',
      `stateDirectory: ${join(dir, 'state')}`,
      'licensespring:',
      `  baseUrl: ${sandbox.url}`,
      '  insecure: { allowPlainHttp: true }',
      '  publicKeyFile: sandbox.pem',
      '  featureChecks: all',
      '  features: [not-on-any-licence]',
      '  auth:',
      '    method: hmac',
      '    sharedKey: { file: shared-key }',
      'http: { port: 0 }',
      'log: { level: trace }',
    ].join('\n'),
  );
  agent = startCli(['run', '--config', join(dir, 'agent.yaml')], {
    CREDENTIALS_DIRECTORY: credentials,
  });
  base = await agent.url();
  await waitReady(base);
});

afterAll(async () => {
  await agent.stop();
  await sandbox.close();
});

describe('the agent against a LicenseSpring-compatible server', () => {
  it('serves the licences it fetched at /v1/status', async () => {
    const { status, body } = await getJson(`${base}/v1/status`);
    expect(status).toBe(200);
    expect(body.ready).toBe(true);
    expect(body.device.hardwareId).toBe('e2e-device-0001');
    expect(body.upstream.kind).toBe('licensespring');
    expect(body.licenses.map((l: any) => l.state).sort()).toEqual(['active', 'active', 'expired']);
    expect(body.sync.last.result).toBe('ok');
  });

  it('its requests were signed, accepted and answered', () => {
    const calls = sandbox.requests().filter((r) => r.path.startsWith('/api/v4/'));
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) expect(call).toMatchObject({ auth: 'hmac', status: 200 });
    expect(calls.some((c) => c.path === '/api/v4/check_license_feature')).toBe(true);
  });

  it('answers a feature question with the decision and its why', async () => {
    const { status, body, contentType } = await getJson(`${base}/v1/features/reporting`);
    expect(status).toBe(200);
    expect(contentType).toContain('application/json');
    expect(body).toMatchObject({
      code: 'reporting',
      allowed: true,
      state: 'active',
      reason: 'licensed',
    });
    expect(Date.parse(body.lastVerifiedAt)).not.toBeNaN();
  });

  it('lists every feature, including configured ones no licence carries', async () => {
    const { body } = await getJson(`${base}/v1/features`);
    const codes = body.features.map((f: any) => f.code);
    expect(codes).toContain('reporting');
    expect(body.features.find((f: any) => f.code === 'not-on-any-licence')).toMatchObject({
      allowed: false,
      reason: 'not_licensed',
    });
  });

  it('`check` exits 0 for an allowed feature', () => {
    const result = runCli(['check', 'reporting', '--url', base]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^reporting: allowed \(active, licensed/);
  });

  it('`check` exits 1 for an expired or unlicensed feature', () => {
    expect(runCli(['check', 'legacy-export', '--url', base]).code).toBe(1);
    expect(runCli(['check', 'never-heard-of-it', '--url', base]).code).toBe(1);
  });

  it('`check` exits 2 when no agent answers', () => {
    const result = runCli(['check', 'reporting', '--url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot reach the agent/);
  });

  it('`status` prints the licences and features', () => {
    const result = runCli(['status', '--url', base]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('e2e-device-0001');
    expect(result.stdout).toMatch(/reporting\s+yes\s+active/);
    expect(result.stdout).toMatch(/offline grace ends \d{4}-\d\d-\d\dT.*, 7[12]\.\d h left/);
  });

  it('unknown paths and methods get JSON errors', async () => {
    const missing = await getJson(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'no such path: /nope' } });
    const wrongMethod = await getJson(`${base}/v1/status`, 'DELETE');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe('method_not_allowed');
  });

  it('/metrics exports licences, features and upstream calls', async () => {
    const { text } = await getJson(`${base}/metrics`);
    expect(text).toMatch(/^license_agent_feature_allowed\{feature="reporting"\} 1$/m);
    expect(text).toMatch(
      /^license_agent_license_active\{license_id="\d+",product="edge-suite"\} 1$/m,
    );
    expect(text).toMatch(
      /^license_agent_upstream_requests_total\{endpoint="device_licenses",outcome="genuine"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^license_agent_upstream_last_success_timestamp_seconds\{endpoint="device_licenses"\} \d/m,
    );
    expect(text).toMatch(/^license_agent_device_info\{hardware_id="e2e-device-0001"\} 1$/m);
  });

  it.skipIf(!existsSync(PROMTOOL) && process.env['CI'] !== 'true')(
    '/metrics passes `promtool check metrics` with no output',
    async () => {
      const { text } = await getJson(`${base}/metrics`);
      const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(lint.stdout + lint.stderr).toBe('');
      expect(lint.status).toBe(0);
    },
  );

  it('syncs again on SIGUSR1', async () => {
    const count = () =>
      sandbox.requests().filter((r) => r.path === '/api/v4/device_licenses').length;
    const before = count();
    agent.child.kill('SIGUSR1');
    for (let waited = 0; count() === before && waited < 5_000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(count()).toBe(before + 1);
  });

  it('stops cleanly on SIGTERM, and no secret or licence key reached its logs', async () => {
    exitCode = await agent.stop('SIGTERM');
    expect(exitCode).toBe(0);
    const logs = agent.output();
    expect(logs).toContain('"msg":"agent stopped"');
    expect(logs).toContain('"msg":"sync finished"');
    for (const secret of [API_KEY, SHARED_KEY, SANDBOX_LICENSE_KEY, SANDBOX_EXPIRED_LICENSE_KEY]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toMatch(/algorithm="hmac-sha256"/);
  });
});
