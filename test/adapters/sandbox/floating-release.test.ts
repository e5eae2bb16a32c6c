import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacAuthenticator } from '../../../src/adapters/licensespring/authenticator.js';
import { createFloatingApiClient } from '../../../src/adapters/licensespring/floating-api-client.js';
import { createLicenseApiClient } from '../../../src/adapters/licensespring/license-api-client.js';
import { hmacAuthorization } from '../../../src/adapters/licensespring/request-signing.js';
import {
  SANDBOX_LICENSE_KEY,
  SANDBOX_PRODUCT_CODE,
} from '../../../src/adapters/sandbox/fixture-licenses.js';
import { startSandbox, type Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { MINUTE } from '../../../src/domain/time.js';
import { ManualClock } from '../../agent/fakes.js';

const START = Date.parse('2026-12-04T09:00:00Z');
const LICENSE_ID = 1_700_000_000_000_101;
const SLOT = `${String(LICENSE_ID)}/opc-ua-connector`;
let sandbox: Sandbox;
let clock: ManualClock;
const dispatcher = new Agent();
const signal = new AbortController().signal;

beforeAll(async () => {
  clock = new ManualClock(START);
  sandbox = await startSandbox({ now: () => clock.now() });
});
afterAll(async () => {
  await sandbox.close();
  await dispatcher.close();
});

function options(publicKeyPem = sandbox.publicKeyPem) {
  return {
    baseUrl: sandbox.url,
    authenticator: hmacAuthenticator(
      sandbox.credentials.apiKey,
      sandbox.credentials.sharedKey,
      clock,
    ),
    publicKey: createPublicKey(publicKeyPem),
    clock,
    timeoutMs: 5_000,
    dispatcher,
  };
}

const device = (hardwareId: string) => ({
  hardwareId,
  product: SANDBOX_PRODUCT_CODE,
  licenseKey: SANDBOX_LICENSE_KEY,
  licenseId: LICENSE_ID,
});

async function takeSeat(hardwareId: string) {
  return createLicenseApiClient(options()).checkFeature(
    { ...device(hardwareId), feature: 'opc-ua-connector' },
    signal,
  );
}

/** A signed POST as the agent sends it, with any body. */
async function post(path: string, body: string) {
  const date = new Date(clock.now()).toUTCString();
  const response = await request(new URL(path, sandbox.url), {
    method: 'POST',
    dispatcher,
    headers: {
      date,
      authorization: hmacAuthorization(
        sandbox.credentials.apiKey,
        sandbox.credentials.sharedKey,
        date,
      ),
      'content-type': 'application/json',
    },
    body,
  });
  return { status: response.statusCode, body: (await response.body.json()) as { code?: string } };
}

describe('floating seats given back to the sandbox', () => {
  it('feature_release frees the device’s seat at once, with a signed answer the agent verifies', async () => {
    expect((await takeSeat('release-a')).kind).toBe('genuine');
    expect((await takeSeat('release-b')).kind).toBe('genuine');
    expect(sandbox.floatingSeats()[SLOT]).toBe(2);

    const outcome = await createFloatingApiClient(options()).release(
      { ...device('release-a'), feature: 'opc-ua-connector' },
      signal,
    );
    expect(outcome.kind).toBe('genuine');
    expect(sandbox.floatingSeats()[SLOT]).toBe(1);
    expect(sandbox.requests().at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v4/floating/feature_release',
      auth: 'hmac',
      status: 200,
    });
    // The freed seat is there for a third device, where it was full before.
    expect((await takeSeat('release-c')).kind).toBe('genuine');
  });

  it('a seat lapses by itself once its floating_timeout passes without a check', async () => {
    await takeSeat('lapse-a');
    const before = sandbox.floatingSeats()[SLOT] ?? 0;
    clock.at += 121 * MINUTE;
    expect(sandbox.floatingSeats()[SLOT]).toBeLessThan(before);
    expect(sandbox.floatingSeats()[SLOT]).toBe(0);
  });

  it('answers a release of a seat the device does not hold as a success, so a repeat is harmless', async () => {
    const outcome = await createFloatingApiClient(options()).release(
      { ...device('never-held'), feature: 'opc-ua-connector' },
      signal,
    );
    expect(outcome.kind).toBe('genuine');
  });

  it('floating/release answers for a floating licence’s own seat', async () => {
    const outcome = await createFloatingApiClient(options()).release(
      { ...device('licence-seat'), feature: null },
      signal,
    );
    expect(outcome.kind).toBe('genuine');
    expect(sandbox.requests().at(-1)).toMatchObject({ path: '/api/v4/floating/release' });
  });

  it('an answer signed by another key is not genuine', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const outcome = await createFloatingApiClient(options(other.toString())).release(
      { ...device('wrong-key'), feature: 'opc-ua-connector' },
      signal,
    );
    expect(outcome).toEqual({ kind: 'not-genuine', reason: 'bad_signature' });
  });

  it.each([
    [
      'no hardware_id',
      { product: 'edge-suite', license_key: 'k', feature: 'f' },
      'hardware_id_required',
    ],
    ['no product', { hardware_id: 'd', license_key: 'k', feature: 'f' }, 'product_required'],
    [
      'no feature',
      { hardware_id: 'd', product: 'edge-suite', license_key: 'k' },
      'feature_required',
    ],
    [
      'no key or user',
      { hardware_id: 'd', product: 'edge-suite', feature: 'f' },
      'license_key_or_username_required',
    ],
    [
      'an unknown product',
      { hardware_id: 'd', product: 'nope', license_key: 'k', feature: 'f' },
      'unknown_product',
    ],
    [
      'an unknown key',
      { hardware_id: 'd', product: 'edge-suite', license_key: 'k', feature: 'f' },
      'license_not_found',
    ],
    [
      'a feature not on the licence',
      { hardware_id: 'd', product: 'edge-suite', license_key: SANDBOX_LICENSE_KEY, feature: 'f' },
      'invalid_license_feature_code',
    ],
  ])('refuses a feature release with %s in the vendor’s error shape', async (_case, body, code) => {
    const answer = await post('floating/feature_release', JSON.stringify(body));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, code });
  });

  it('takes the release only as a POST', async () => {
    const date = new Date(clock.now()).toUTCString();
    const response = await request(new URL('floating/release', sandbox.url), {
      dispatcher,
      headers: { date },
    });
    await response.body.dump();
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('POST');
  });
});
