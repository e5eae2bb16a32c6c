import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  publicKeyFromPem,
  verifyResponseSignature,
} from '../../../src/adapters/licensespring/response-signature.js';
import {
  SANDBOX_LICENSE_KEY,
  SANDBOX_PRODUCT_CODE,
  sandboxLicenses,
} from '../../../src/adapters/sandbox/fixture-licenses.js';
import { licenseBinding } from '../../../src/adapters/licensespring/license-signature.js';
import type { Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { apiUrl, manualClock, send, signedHeaders, START, sandboxPerTest } from './sandbox-http.js';

const sandboxes = sandboxPerTest();
let sandbox: Sandbox;

function listDevice(hardwareId: string | null) {
  const query: Record<string, string> = hardwareId === null ? {} : { hardware_id: hardwareId };
  return send(apiUrl(sandbox.url, 'device_licenses', query), { headers: signedHeaders(START) });
}

/** The licences as stored: the per-licence signature is added per asking device (its own test). */
async function licencesOf(hardwareId: string): Promise<unknown> {
  const { body } = await listDevice(hardwareId);
  return (body as Record<string, unknown>[]).map(
    ({ license_signature: _bound, ...license }) => license,
  );
}

describe('sandbox device_licenses', () => {
  it('gives any new device the fixture licences, dated by its clock', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    const answer = await listDevice('a-device-nobody-configured');
    expect(answer.status).toBe(200);
    expect(await licencesOf('a-device-nobody-configured')).toEqual(sandboxLicenses(START));
  });

  it('signs each licence for the device that asked (license_signature, as the vendor does)', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    const { body } = await listDevice('hw-1');
    const publicKey = createPublicKey(sandbox.publicKeyPem);
    expect(licenseBinding(body, 'hw-1', publicKey)).toBe('bound');
    expect(licenseBinding(body, 'hw-2', publicKey)).toBe('foreign');
  });

  it('answers the licences set for a device, and only for that device', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    const disabled = sandboxLicenses(START).map((license) => ({
      ...license,
      license_enabled: false,
    }));
    sandbox.setDeviceLicenses('hw-1', disabled);
    expect(await licencesOf('hw-1')).toEqual(disabled);
    expect(await licencesOf('hw-2')).toEqual(sandboxLicenses(START));
  });

  it('answers devices given at start, and [] for devices when the default is none', async () => {
    const licenses = sandboxLicenses(START).slice(0, 1);
    sandbox = await sandboxes.start({
      now: manualClock().now,
      devices: { 'hw-1': licenses },
      defaultLicenses: [],
    });
    expect(await licencesOf('hw-1')).toEqual(licenses);
    expect(await licencesOf('hw-2')).toEqual([]);
  });

  it('answers a blacklisted device with blacklisted until refusals are cleared', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    sandbox.refuseDevice('hw-1');
    const refused = await listDevice('hw-1');
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      status: 400,
      code: 'blacklisted',
      message: 'This device is blacklisted',
    });
    sandbox.clearRefusals();
    expect((await listDevice('hw-1')).status).toBe(200);
  });

  it('answers a missing hardware_id with 400 hardware_id_required', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    const answer = await listDevice(null);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      status: 400,
      code: 'hardware_id_required',
      message: expect.any(String),
    });
  });
});

describe('sandbox answer signing', () => {
  it('signs every 200 answer with its key', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    const publicKey = publicKeyFromPem(sandbox.publicKeyPem);
    const answers = [
      await listDevice('hw-1'),
      await send(
        apiUrl(sandbox.url, 'check_license_feature', {
          license_key: SANDBOX_LICENSE_KEY,
          hardware_id: 'hw-1',
          product: SANDBOX_PRODUCT_CODE,
          feature: 'reporting',
        }),
        { headers: signedHeaders(START) },
      ),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const signature = answer.headers['licensesignature'];
      expect(typeof signature).toBe('string');
      expect(verifyResponseSignature(answer.body, signature as string, publicKey)).toBe(true);
    }
  });

  it('signs with the private key it is given, so another key does not verify', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    const answer = await listDevice('hw-1');
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const signature = answer.headers['licensesignature'] as string;
    expect(
      verifyResponseSignature(answer.body, signature, publicKeyFromPem(sandbox.publicKeyPem)),
    ).toBe(true);
    expect(verifyResponseSignature(answer.body, signature, otherKey)).toBe(false);
  });

  it('sends the body as exactly JSON.stringify of the signed value', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    const answer = await listDevice('hw-1');
    expect(answer.text).toBe(JSON.stringify(JSON.parse(answer.text)));
    expect(answer.headers['content-type']).toBe('application/json');
  });

  it('does not sign error answers', async () => {
    sandbox = await sandboxes.start({ now: manualClock().now });
    const answer = await listDevice(null);
    expect(answer.headers['licensesignature']).toBeUndefined();
  });

  it('stamps its Date header from its own clock', async () => {
    const clock = manualClock();
    sandbox = await sandboxes.start({ now: clock.now });
    clock.advance(5_000);
    const answer = await send(apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' }), {
      headers: signedHeaders(START),
    });
    expect(answer.headers['date']).toBe(new Date(START + 5_000).toUTCString());
  });
});
