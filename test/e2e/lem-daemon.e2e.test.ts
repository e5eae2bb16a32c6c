import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLemSandbox, type LemSandbox } from '../../src/adapters/sandbox/lem/lem-sandbox.js';
import { sandboxDevices } from '../../src/adapters/sandbox/lem/lem-world.js';
import { sandboxConfigYaml } from './cli-agent-config.js';
import { getJson, runCli, startCli, waitReady, type RunningCli } from './cli-process.js';

const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';
const made: string[] = [];
let agent: RunningCli | undefined;
let lem: LemSandbox | undefined;

afterAll(async () => {
  await agent?.stop();
  await lem?.close();
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ela-lem-e2e-'));
  made.push(dir);
  return dir;
}

/** Starts the built agent on `yaml` and waits until it is ready and LEM has been polled once. */
async function run(dir: string, yaml: string, polled: (status: any) => boolean) {
  const config = join(dir, 'agent.yaml');
  await writeFile(config, yaml);
  agent = startCli(['run', '--config', config]);
  const base = await agent.url();
  await waitReady(base);
  for (let waited = 0; waited < 15_000; waited += 50) {
    const { body } = await getJson(`${base}/v1/status`);
    if (body.lem !== undefined && polled(body)) return { base, status: body };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`LEM was never polled:\n${agent.output()}`);
}

/** `curl --cacert CA URL`, in node: the status LEM answers with, over TLS verified against CA. */
function statusWithCa(url: string, caPem: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL('api/v1/feature', url), { ca: caPem }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the daemon with the LEM sandbox', () => {
  it("shows the pool and this device's LEM licence in /metrics and /v1/status, and answers lem:catalog", async () => {
    const dir = tempDir();
    const { base, status } = await run(
      dir,
      sandboxConfigYaml({ stateDirectory: join(dir, 'state'), lem: { baseUrl: 'sandbox' } }),
      (s) => s.lem.parts.used.lastOkAt !== null && s.lem.parts.licenseFeatures.lastOkAt !== null,
    );

    expect(status.lem.upstream).toMatchObject({ kind: 'sandbox', projectId: expect.any(String) });
    expect(status.lem.pool.stats).toEqual({ active: 7, used: 7, unused: 1, expired: 0 });
    expect(status.lem.device.entries).toHaveLength(1);
    expect(status.lem.device.entries[0].licenses[0]).toMatchObject({
      sku: 'litmusedge-scale-nl',
      status: 'OK',
    });
    expect(JSON.stringify(status)).not.toMatch(/SBX\d-/);

    const metrics = await getJson(`${base}/metrics`);
    for (const series of [
      'license_agent_lem_pool_licenses{state="unused"} 1',
      'license_agent_lem_sku_licenses{sku="litmusedge-scale-nl",core="true"} 6',
      'license_agent_lem_server_feature_enabled{feature="DigitalTwin"} 0',
      'license_agent_lem_device_licenses 1',
      'license_agent_lem_polls_total{part="used",outcome="ok"} 1',
    ]) {
      expect(metrics.text).toContain(series);
    }
    // The built-in sandbox's catalogue runs for a year from its start.
    const expiry =
      /license_agent_lem_license_feature_expiry_timestamp_seconds\{feature="catalog"\} (\d+)/.exec(
        metrics.text,
      );
    expect(Number(expiry?.[1]) * 1000).toBeGreaterThan(Date.now() + 360 * 86_400_000);
    const promtool = spawnSync(PROMTOOL, ['check', 'metrics'], { input: metrics.text });
    if (promtool.error === undefined) expect(promtool.status).toBe(0);

    const ofrep = await fetch(`${base}/ofrep/v1/evaluate/flags/lem:catalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ofrep.status).toBe(200);
    expect(await ofrep.json()).toMatchObject({
      key: 'lem:catalog',
      value: true,
      metadata: { reason: 'lem_licensed' },
    });

    const statusText = runCli(['status', '--url', base]).stdout;
    expect(statusText).toContain('pool          7 active, 7 used, 1 unused, 0 expired');
    expect(statusText).toMatch(/this device {3}sandbox-device-000: litmusedge-scale-nl OK/);

    const check = runCli(['check', 'lem:catalog', '--url', base]);
    expect(check.stdout).toMatch(/^lem:catalog: allowed \(active, lem_licensed/);
    expect(runCli(['check', 'lem:analytics', '--url', base]).stdout).toMatch(
      /^lem:analytics: denied \(\w+, lem_feature_disabled/,
    );
    const caFile = join(dir, 'state', 'sandbox-lem-ca.pem');
    expect((await stat(caFile)).mode & 0o777).toBe(0o644);
    expect(agent?.output()).toContain(caFile);
    // No token with the request: LEM's own 401, over a certificate the written CA verifies.
    expect(await statusWithCa(status.lem.upstream.baseUrl, await readFile(caFile, 'utf8'))).toBe(
      401,
    );
    expect(await agent?.stop()).toBe(0);
  }, 40_000);
});

describe('the daemon against a LEM that refuses and fails', () => {
  it('keeps the LEM token and every licence key out of logs, metrics and state files', async () => {
    const token = 'lem-token-7f3a9c1e5b';
    const mac = '00:1a:2b:3c:4d:5e';
    lem = await startLemSandbox({ token, deviceMac: mac });
    const dir = tempDir();
    const stateDirectory = join(dir, 'state');
    await writeFile(join(dir, 'lem-token'), `${token}\n`);
    await writeFile(join(dir, 'lem-ca.pem'), lem.caPem);
    const yaml = sandboxConfigYaml({
      stateDirectory,
      lem: {
        baseUrl: lem.url,
        projectId: lem.projectId,
        token: { file: join(dir, 'lem-token') },
        tls: { caFile: join(dir, 'lem-ca.pem') },
        deviceId: 'sandbox-device-000',
        splaySeconds: 0,
      },
    });
    const outputs: string[] = [];
    const partOutcome = (part: string) => (s: any) => s.lem.parts[part].last?.outcome;

    // A good poll first, so the agent has held the keys, then a 401 run and a 5xx run.
    let { base } = await run(dir, yaml, (s) => partOutcome('used')(s) === 'ok');
    outputs.push((await getJson(`${base}/metrics`)).text);
    await agent?.stop();
    outputs.push(agent?.output() ?? '');

    lem.failWith(401);
    ({ base } = await run(dir, yaml, (s) => partOutcome('stats')(s) === 'lem_token_rejected'));
    const refused = (await getJson(`${base}/v1/status`)).body;
    expect(refused.lem.parts.stats.last.message).toContain('System > Access Control > Tokens');
    outputs.push((await getJson(`${base}/metrics`)).text, JSON.stringify(refused));
    await agent?.stop();
    outputs.push(agent?.output() ?? '');

    lem.failWith(503);
    const down = await run(dir, yaml, (s) => partOutcome('stats')(s) === 'server_error');
    // Restarted offline: the answers of the first run, restored from disk, with their age.
    expect(down.status.lem.stateFile).toBe('restored');
    expect(down.status.lem.device.entries[0].deviceId).toBe('sandbox-device-000');
    expect(down.status.lem.parts.used.ageSeconds).toEqual(expect.any(Number));
    outputs.push((await getJson(`${down.base}/metrics`)).text, JSON.stringify(down.status));
    expect(outputs.join('\n')).toContain(
      'license_agent_lem_polls_total{part="stats",outcome="server_error"} 1',
    );
    await agent?.stop();
    outputs.push(agent?.output() ?? '');

    const keys = sandboxDevices(mac, 7).flatMap((d) => d.licenses.map((l) => l.licenseKey));
    const secrets = [token, Buffer.from(`${token}:`).toString('base64'), ...keys];
    for (const file of await readdir(stateDirectory)) {
      outputs.push((await readFile(join(stateDirectory, file))).toString('latin1'));
    }
    const found = secrets.filter((secret) => outputs.some((text) => text.includes(secret)));
    expect(found).toEqual([]);
    // The check would pass vacuously if the agent had never read the pool.
    expect(lem.requests.filter((r) => r.path.includes('/used')).length).toBeGreaterThan(0);
  }, 60_000);
});
