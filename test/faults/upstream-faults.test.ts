import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statusCommand } from '../../src/cli/status-command.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { ATTEMPTS, HARDWARE_ID, HOUR, startFaultAgent, type FaultAgent } from './agent-harness.js';
import { faultCases, factOf } from './fault-cases.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import {
  dateYearsAhead,
  grantSignedBy,
  onDeviceLicenses,
  SMUGGLED,
  vendorError,
} from './tampering.js';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
// The sandbox signs with our key, so that a fault can sign a body exactly as the sandbox would.
const keys = { sandbox: rsa(), stranger: rsa() };

let sandbox: Sandbox;
let proxy: FaultProxy;
let running: FaultAgent | null = null;

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: keys.sandbox });
  proxy = await startFaultProxy(sandbox.origin);
});
afterEach(async () => {
  await running?.stop();
  running = null;
  await proxy.set({ kind: 'pass' });
  sandbox.clearRefusals();
});
afterAll(async () => {
  await proxy.close();
  await sandbox.close();
});

/** What `edge-license-agent status` prints about the agent. */
async function statusText(a: FaultAgent): Promise<string> {
  let text = '';
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  expect(await statusCommand({ url: a.agent.url }, { stdout, stderr: stdout, env: {} })).toBe(0);
  return text;
}

async function start(): Promise<FaultAgent> {
  running = await startFaultAgent(sandbox, proxy.url);
  return running;
}

describe('a sync in flight', () => {
  it('shows in the status, and refreshes asked for during it share one sync that starts after it', async () => {
    const a = await start();
    await a.agent.refresh();
    expect((await a.status()).sync.running).toBe(false);
    await proxy.set({ kind: 'hang' });
    const seen = proxy.requests().length;
    const first = a.agent.refresh();
    expect((await a.status()).sync.running).toBe(true);
    expect(await statusText(a)).toMatch(/^ +a sync is running now$/m);
    // The sync in flight asked the server before these were asked for: its answers may be stale.
    const second = a.agent.refresh();
    const third = a.agent.refresh();
    const [firstReport, secondReport, thirdReport] = await Promise.all([first, second, third]);
    expect(thirdReport).toBe(secondReport);
    expect(secondReport).not.toBe(firstReport);
    expect(secondReport.finishedAt).toBeGreaterThan(firstReport.finishedAt);
    // Two syncs' attempts: the one in flight and the one after it, not one per refresh.
    const asked = proxy
      .requests()
      .slice(seen)
      .filter((r) => r.path.includes('/device_licenses'));
    expect(asked).toHaveLength(2 * ATTEMPTS);
    expect((await a.status()).sync.running).toBe(false);
    expect(await statusText(a)).not.toMatch(/a sync is running/);
  });
});

describe('a stopped agent', () => {
  it('starts no sync when a refresh is asked for', async () => {
    const a = await start();
    await a.agent.refresh();
    running = null;
    // The stop itself gives the floating seats back; nothing may follow it.
    await a.stop();
    const seen = proxy.requests().length;
    await expect(a.agent.refresh()).rejects.toMatchObject({ code: 'agent_stopping' });
    expect(proxy.requests()).toHaveLength(seen);
  });
});

describe('every upstream fault: the decision before, during and after the offline grace', () => {
  it.each(faultCases(keys).map((c) => ({ ...c, name: factOf(c) })))('$name', async (c) => {
    const a = await start();

    // Before: everything passes through.
    await a.agent.refresh();
    const activeBefore = await a.feature('reporting');
    expect(activeBefore).toMatchObject({ allowed: true, state: 'active', reason: 'licensed' });
    const statusBefore = await a.status();
    const savedBefore = await a.savedState();
    expect(savedBefore['deviceLicenses']).toMatchObject({ kind: 'genuine' });

    // During.
    await proxy.set(c.set());
    a.clock.offsetMs = c.clockOffsetMs ?? 0;
    const seen = proxy.requests().length;
    await a.agent.refresh();
    const asked = proxy
      .requests()
      .slice(seen)
      .filter((r) => r.path.includes('/device_licenses'));
    const status = await a.status();
    const saved = await a.savedState();
    if (c.attempts === null) expect(asked).toHaveLength(0);
    else expect(asked).toHaveLength(c.attempts);
    expect(await a.feature(SMUGGLED)).toMatchObject({ allowed: false });

    if (c.lastFailure === null) {
      expect(await a.feature('reporting')).toMatchObject({ allowed: true, state: 'active' });
      expect(status.offline).toMatchObject({ failing: false, lastFailure: null });
      expect(Date.parse(status.offline.lastGenuineAt)).toBeGreaterThan(
        Date.parse(statusBefore.offline.lastGenuineAt),
      );
    } else {
      const during = await a.feature('reporting');
      expect(during).toMatchObject({
        allowed: true,
        state: 'grace',
        reason: 'offline_grace',
        lastVerifiedAt: activeBefore['lastVerifiedAt'],
      });
      expect(status.offline).toMatchObject({
        failing: true,
        lastFailure: c.lastFailure,
        lastGenuineAt: statusBefore.offline.lastGenuineAt,
      });
      // Nothing cached: the saved evidence is what it was (the trust fields may move on).
      expect(saved['deviceLicenses']).toEqual(savedBefore['deviceLicenses']);
      expect(saved['featureChecks']).toEqual(savedBefore['featureChecks']);
      expect(a.logs).toContainEqual(
        expect.objectContaining({
          msg: 'sync did not finish',
          deviceLicenses: c.logged ?? c.lastFailure,
        }),
      );
    }
    await c.also?.({ agent: a, asked, status });

    // After the grace: no sync needed, decisions recompute on time.
    a.clock.offsetMs = 73 * HOUR;
    expect(await a.feature('reporting')).toMatchObject({
      allowed: false,
      state: 'expired',
      reason: 'offline_grace_expired',
    });

    // Healed.
    a.clock.offsetMs = 0;
    await proxy.set({ kind: 'pass' });
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({
      allowed: true,
      state: 'active',
      reason: 'licensed',
    });
    expect((await a.status()).offline).toMatchObject({ failing: false, lastFailure: null });
    expect(a.logs.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
  });
});

describe('a refusal is not a fault', () => {
  it('blacklisted denies at once, without grace, and is undone only by a genuine answer', async () => {
    const a = await start();
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({ allowed: true, state: 'active' });

    sandbox.refuseDevice(HARDWARE_ID);
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({
      allowed: false,
      state: 'denied',
      reason: 'device_blacklisted',
    });
    expect((await a.status()).offline).toMatchObject({ failing: false, lastFailure: null });
    expect((await a.savedState())['deviceLicenses']).toMatchObject({
      kind: 'refused',
      code: 'device_blacklisted',
    });

    // An outage now does not bring the grant back as grace.
    await proxy.set(vendorError(503, 'service_unavailable'));
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({
      allowed: false,
      reason: 'device_blacklisted',
    });

    await proxy.set({ kind: 'pass' });
    sandbox.clearRefusals();
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({ allowed: true, state: 'active' });
  });
});

describe('the forgeries above are real grants', () => {
  it('the same forged grant, signed with the trusted key, is believed: the denials above are not vacuous', async () => {
    const a = await start();
    await a.agent.refresh();
    expect(await a.feature(SMUGGLED)).toMatchObject({ allowed: false, reason: 'not_licensed' });

    await proxy.set({ kind: 'rewrite', rewrite: onDeviceLicenses(grantSignedBy(keys.sandbox)) });
    await a.agent.refresh();
    expect(await a.feature(SMUGGLED)).toMatchObject({ allowed: true, state: 'active' });
  });
});

describe('a server Date ahead of the local clock', () => {
  // A Date years ahead is not believed at all (untimely_answer); one within the vendor's 15 minutes
  // raises trusted time, and the gap it opens is where the local clock stands, not a jump back.
  it('is not counted as the wall clock moving back', async () => {
    const a = await start();
    await a.agent.refresh();
    await proxy.set({ kind: 'rewrite', rewrite: dateYearsAhead(3) });
    await a.agent.refresh();
    await proxy.set({ kind: 'pass' });
    await a.agent.refresh();
    const { offline } = await a.status();
    expect(offline.clockRollbacks).toBe(0);
    expect(offline.clockBehindSeconds ?? 0).toBeLessThanOrEqual(15 * 60);
  });
});
