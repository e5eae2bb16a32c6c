import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signResponse } from '../../src/adapters/licensespring/response-signature.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { HARDWARE_ID, startFaultAgent, type FaultAgent } from './agent-harness.js';
import { startFaultProxy, type Answer, type FaultProxy } from './fault-proxy.js';
import {
  answerOfAnotherDevice,
  onDeviceLicenses,
  replayed,
  SMUGGLED,
  vendorError,
} from './tampering.js';

// Signed answers replayed out of place, and unsigned errors forged (issue 19, items 4 and 5).

const DAY = 24 * 3_600_000;
const MINUTE = 60_000;
const sandboxKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

let sandbox: Sandbox;
let proxy: FaultProxy;
let running: FaultAgent | null = null;

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: sandboxKey });
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

async function start(): Promise<FaultAgent> {
  running = await startFaultAgent(sandbox, proxy.url);
  await running.agent.refresh();
  expect(await running.feature('reporting')).toMatchObject({ allowed: true, state: 'active' });
  return running;
}

/** Syncs once through the proxy, keeping the genuine `device_licenses` answer as it passed. */
async function record(a: FaultAgent): Promise<Answer> {
  const kept: Answer[] = [];
  await proxy.set({
    kind: 'rewrite',
    rewrite: onDeviceLicenses((answer) => {
      kept.push(answer);
      return answer;
    }),
  });
  await a.agent.refresh();
  await proxy.set({ kind: 'pass' });
  const [answer] = kept;
  if (answer === undefined) throw new Error('no device_licenses answer passed the proxy');
  return answer;
}

/** A `check_license_feature` grant as the vendor would sign it for the feature it names. */
function signedFeatureGrant(grant: { licenseId: number; code: string; date?: string | undefined }) {
  const body = {
    code: grant.code,
    license_id: grant.licenseId,
    id: 1,
    name: grant.code,
    feature_type: 'activation',
    expiry_date: null,
    is_floating: true,
    is_floating_cloud: true,
    floating_in_use_devices: 0,
    metadata: {},
  };
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      date: grant.date ?? new Date().toUTCString(),
      licensesignature: signResponse(body, sandboxKey),
    },
    body: JSON.stringify(body),
  };
}

/** Blacklists the device and syncs: the refusal is what the agent holds. */
async function blacklist(a: FaultAgent): Promise<void> {
  sandbox.refuseDevice(HARDWARE_ID);
  await a.agent.refresh();
  expect(await a.feature('reporting')).toMatchObject({
    allowed: false,
    reason: 'device_blacklisted',
  });
}

describe('an answer signed for another device', () => {
  it('is not this device’s: nothing it grants is believed, and grace keeps running', async () => {
    const a = await start();
    await proxy.set({
      kind: 'rewrite',
      rewrite: onDeviceLicenses(answerOfAnotherDevice(sandboxKey, 'another-device')),
    });
    await a.agent.refresh();
    expect(await a.feature(SMUGGLED)).toMatchObject({ allowed: false, reason: 'not_licensed' });
    expect((await a.status()).offline).toMatchObject({
      failing: true,
      lastFailure: 'foreign_answer',
    });
  });

  it('is believed when signed for this device: the refusal above is the binding, not the forgery', async () => {
    const a = await start();
    await proxy.set({
      kind: 'rewrite',
      rewrite: onDeviceLicenses(answerOfAnotherDevice(sandboxKey, HARDWARE_ID)),
    });
    await a.agent.refresh();
    expect(await a.feature(SMUGGLED)).toMatchObject({ allowed: true, state: 'active' });
  });
});

describe('a genuine answer replayed after the device was blacklisted', () => {
  it('40 days old, it neither undoes the refusal nor counts as a sync', async () => {
    const a = await start();
    const old = await record(a);
    await blacklist(a);
    await proxy.set({ kind: 'reply', answer: replayed(old, -40 * DAY) });
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({
      allowed: false,
      reason: 'device_blacklisted',
    });
    expect((await a.status()).offline).toMatchObject({ lastFailure: 'untimely_answer' });
    expect((await a.savedState())['deviceLicenses']).toMatchObject({ kind: 'refused' });
  });

  it('minutes old, inside the vendor’s window, it is still older than the refusal and is refused', async () => {
    const a = await start();
    const old = await record(a);
    await blacklist(a);
    await proxy.set({ kind: 'reply', answer: replayed(old, -5 * MINUTE) });
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({
      allowed: false,
      reason: 'device_blacklisted',
    });
    expect((await a.status()).offline).toMatchObject({ lastFailure: 'stale_answer' });
  });

  it('with its Date rewritten to now it is believed: the Date is not signed (docs/security-model.md)', async () => {
    const a = await start();
    const old = await record(a);
    await blacklist(a);
    await proxy.set({
      kind: 'reply',
      answer: {
        ...old,
        headers: { ...old.headers, date: new Date(Date.now() + 2_000).toUTCString() },
      },
    });
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({ allowed: true });
  });
});

describe('a signed feature answer about another feature', () => {
  it('does not answer for a feature the server refused', async () => {
    const a = await start();
    sandbox.refuseFeature('opc-ua-connector', 'floating_not_available');
    await a.agent.refresh();
    const refused = { allowed: false, reason: 'floating_slots_exhausted' };
    expect(await a.feature('opc-ua-connector')).toMatchObject(refused);

    // The vendor's signed grant of `reporting` on the same licence, served for the refused check.
    const licenseId = 1_700_000_000_000_101;
    await proxy.set({
      kind: 'rewrite',
      rewrite: (answer) =>
        answer.body.trimStart().startsWith('[')
          ? answer
          : signedFeatureGrant({ licenseId, code: 'reporting', date: answer.headers['date'] }),
    });
    await a.agent.refresh();
    expect(await a.feature('opc-ua-connector')).toMatchObject(refused);

    // The control: the same grant naming the feature asked is believed.
    await proxy.set({
      kind: 'rewrite',
      rewrite: (answer) =>
        answer.body.trimStart().startsWith('[')
          ? answer
          : signedFeatureGrant({
              licenseId,
              code: 'opc-ua-connector',
              date: answer.headers['date'],
            }),
    });
    await a.agent.refresh();
    expect(await a.feature('opc-ua-connector')).toMatchObject({ allowed: true });
  });
});

describe('an error answer the vendor does not document', () => {
  it.each([
    ['a 404 with the vendor’s blacklisted code', 404, 'blacklisted', 'unrecognised_error'],
    [
      'a 400 with a code the vendor does not document',
      400,
      'license_revoked_by_proxy',
      'unrecognised_error',
    ],
    ['a proxy’s 407', 407, 'proxy_authentication_required', 'proxy'],
  ])('%s does not revoke: the agent stays on grace', async (_name, status, code, reason) => {
    const a = await start();
    await proxy.set(vendorError(status, code));
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({ allowed: true, state: 'grace' });
    expect((await a.status()).offline).toMatchObject({ failing: true, lastFailure: reason });
    expect((await a.savedState())['deviceLicenses']).toMatchObject({ kind: 'genuine' });
  });

  it('a documented code with its documented status (400 blacklisted) still revokes at once', async () => {
    const a = await start();
    await proxy.set(vendorError(400, 'blacklisted'));
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({
      allowed: false,
      reason: 'device_blacklisted',
    });
  });
});
