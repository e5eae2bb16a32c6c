import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { startLemSandbox, type LemSandbox } from '../../src/adapters/sandbox/lem/lem-sandbox.js';
import type { CheckResult } from '../../src/app/doctor/doctor-check.js';
import { runDoctor, type DoctorDeps } from '../../src/app/doctor/run-doctor.js';
import { clockCheck } from '../../src/app/doctor/upstream-checks.js';
import { machineWith, recordingLogger } from '../agent/fakes.js';
import { tempDirs } from '../temp-dirs.js';

const newDir = tempDirs('ela-doctor-');
const MAC = '00:1a:2b:3c:4d:5e';
const deps = (now = Date.now()): DoctorDeps => ({
  facts: machineWith({ mac: MAC, machineId: 'a'.repeat(32), dmiUuid: null }),
  clock: { now: () => now, monotonic: () => 0 },
  log: recordingLogger(),
  env: {},
  sleep: () => Promise.resolve(),
  random: () => 0.5,
});

let sandbox: Sandbox;
let lem: LemSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
  lem = await startLemSandbox({ token: 'lem-token-right', deviceMac: MAC });
});
afterAll(async () => {
  await sandbox.close();
  await lem.close();
});

/** A config against the loopback License API imitation, as a real account is configured. */
async function realConfig(dir: string, extra = ''): Promise<string> {
  await writeFile(join(dir, 'api-key'), sandbox.credentials.apiKey);
  await writeFile(join(dir, 'shared-key'), sandbox.credentials.sharedKey);
  await writeFile(join(dir, 'vendor.pem'), sandbox.publicKeyPem);
  const path = join(dir, 'agent.yaml');
  await writeFile(
    path,
    `stateDirectory: state
licensespring:
  baseUrl: ${sandbox.url}
  publicKeyFile: vendor.pem
  insecure: { allowPlainHttp: true }
  auth: { method: hmac, apiKey: { file: api-key }, sharedKey: { file: shared-key } }
${extra}`,
  );
  return path;
}

const byId = (results: readonly CheckResult[]) => new Map(results.map((r) => [r.id, r]));

describe('doctor', () => {
  it('names the bad key of a config it cannot read, and skips what needs it', async () => {
    const dir = await newDir();
    const path = join(dir, 'agent.yaml');
    await writeFile(path, 'licensespring: { baseUrl: sandbox }\nsync: { splaySeconds: -1 }\n');
    const results = await runDoctor(path, deps());
    expect(results[0]).toMatchObject({ id: 'config', status: 'fail' });
    expect(results[0]?.detail).toContain('sync.splaySeconds');
    expect(results.slice(1).every((r) => r.status === 'skip')).toBe(true);
  });

  it('makes one authenticated call and compares the clock with the server', async () => {
    const dir = await newDir();
    const checks = byId(await runDoctor(await realConfig(dir), deps()));
    expect(checks.get('upstream-dns')).toMatchObject({ status: 'pass' });
    expect(checks.get('upstream-tls')).toMatchObject({ status: 'warn' });
    expect(checks.get('upstream-call')).toMatchObject({ status: 'pass' });
    expect(checks.get('upstream-call')?.detail).toMatch(
      /device_licenses: \d+ licence\(s\), signature verified/,
    );
    expect(checks.get('clock')).toMatchObject({ status: 'pass' });
  });

  it('fails on rejected credentials, naming the settings to check', async () => {
    const dir = await newDir();
    const path = await realConfig(dir);
    await writeFile(join(dir, 'shared-key'), 'not-the-shared-key');
    const call = byId(await runDoctor(path, deps())).get('upstream-call');
    expect(call).toMatchObject({ status: 'fail' });
    expect(call?.fix).toContain('licensespring.auth.apiKey and licensespring.auth.sharedKey');
  });

  it("compares the Management API's licences for this device with device_licenses", async () => {
    const dir = await newDir();
    await writeFile(join(dir, 'management-key'), sandbox.credentials.managementApiKey);
    const path = await realConfig(
      dir,
      `  management: { baseUrl: "${new URL(sandbox.managementUrl).origin}/", apiKey: { file: management-key } }\n`,
    );
    const agree = byId(await runDoctor(path, deps())).get('management');
    expect(agree, agree?.detail).toMatchObject({ status: 'pass' });
    const hardwareId =
      /to (\S+), the same as device_licenses$/.exec(agree?.detail ?? '')?.[1] ?? '';
    expect(hardwareId).not.toBe('');

    // The License API stops listing the device's licences; the Management API still binds them.
    sandbox.setDeviceLicenses(hardwareId, []);
    const check = byId(await runDoctor(path, deps())).get('management');
    expect(check, check?.detail).toMatchObject({ status: 'warn' });
    expect(check?.detail).toMatch(
      /binds 3 licence\(s\) to .*; only there: 1700000000000101, 1700000000000102, 1700000000000103; only in device_licenses: none$/,
    );

    await writeFile(join(dir, 'management-key'), 'not-the-key');
    const refused = byId(await runDoctor(path, deps())).get('management');
    expect(refused).toMatchObject({ status: 'fail', fix: 'check licensespring.management.apiKey' });
    expect(JSON.stringify(refused)).not.toContain('not-the-key');
  });

  it('skips the Management API when no key is configured', async () => {
    const dir = await newDir();
    const check = byId(await runDoctor(await realConfig(dir), deps())).get('management');
    expect(check).toMatchObject({ status: 'skip' });
  });

  it('warns of a clock a few minutes off and fails one the vendor would refuse', () => {
    const server = 1_800_000_000_000;
    const at = (offMs: number) =>
      clockCheck(server, { now: () => server + offMs, monotonic: () => 0 });
    expect(at(5_000).status).toBe('pass');
    expect(at(-3 * 60_000)).toMatchObject({
      status: 'warn',
      detail: '180 s behind the licence server',
    });
    expect(at(16 * 60_000).status).toBe('fail');
  });

  it('fails a device key others can read, and a saved state that does not decrypt', async () => {
    const dir = await newDir();
    const path = await realConfig(dir);
    const state = join(dir, 'state');
    await mkdir(state, { mode: 0o700 });
    await writeFile(join(state, 'device.key'), Buffer.alloc(32, 1), { mode: 0o644 });
    await chmod(join(state, 'device.key'), 0o644);
    await writeFile(
      join(state, 'state.json'),
      JSON.stringify({ format: 'edge-license-agent/state', version: 2 }),
    );
    const checks = byId(await runDoctor(path, deps()));
    expect(checks.get('device-key')).toMatchObject({
      status: 'fail',
      fix: `chmod 0600 ${join(state, 'device.key')}`,
    });
    expect(checks.get('saved-state')).toMatchObject({ status: 'fail' });
    expect(checks.get('saved-state')?.detail).toMatch(/^refused: corrupt/);
  });

  it('writes nothing: no enrolment, no state, no key', async () => {
    const dir = await newDir();
    const path = await realConfig(dir);
    await mkdir(join(dir, 'state'), { mode: 0o700 });
    const before = await stat(join(dir, 'state'));
    await runDoctor(path, deps());
    expect(await readdir(join(dir, 'state'))).toEqual([]);
    expect((await stat(join(dir, 'state'))).mtimeMs).toBe(before.mtimeMs);
  });

  it("reports LEM with the client's own message for a wrong token", async () => {
    const dir = await newDir();
    await writeFile(join(dir, 'lem-ca.pem'), lem.caPem);
    await writeFile(join(dir, 'lem-token'), 'lem-token-wrong');
    const path = await realConfig(
      dir,
      `lem: { baseUrl: "${lem.url}", projectId: ${lem.projectId}, token: { file: lem-token }, tls: { caFile: lem-ca.pem } }\n`,
    );
    const check = byId(await runDoctor(path, deps())).get('lem');
    expect(check).toMatchObject({ status: 'fail' });
    expect(check?.fix).toMatch(/LEM token is wrong or expired/);
    expect(JSON.stringify(check)).not.toContain('lem-token-wrong');

    await writeFile(join(dir, 'lem-token'), 'lem-token-right');
    expect(byId(await runDoctor(path, deps())).get('lem')).toMatchObject({ status: 'pass' });
  });
});
