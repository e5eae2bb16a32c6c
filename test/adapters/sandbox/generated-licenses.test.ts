import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { licenseBinding } from '../../../src/adapters/licensespring/license-signature.js';
import { parseDeviceLicenses } from '../../../src/adapters/licensespring/parse-device-licenses.js';
import { generatedLicenses } from '../../../src/adapters/sandbox/generated-licenses.js';
import { apiUrl, manualClock, send, signedHeaders, START, sandboxPerTest } from './sandbox-http.js';

const sandboxes = sandboxPerTest();

describe('generated sandbox licences', () => {
  it('serve a device 10 licences of 20 features each, signed for it, that the agent parses', async () => {
    const sandbox = await sandboxes.start({
      now: manualClock().now,
      defaultLicenses: generatedLicenses(START, { licenses: 10, featuresPerLicense: 20 }),
    });
    const answer = await send(apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' }), {
      headers: signedHeaders(START),
    });
    expect(answer.status).toBe(200);
    expect(licenseBinding(answer.body, 'hw-1', createPublicKey(sandbox.publicKeyPem))).toBe(
      'bound',
    );
    const parsed = parseDeviceLicenses(answer.body);
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(parsed.value).toHaveLength(10);
    const codes = parsed.value.flatMap((license) => license.features.map((f) => f.code));
    expect(codes).toHaveLength(200);
    expect(new Set(codes).size).toBe(200);
  });

  it('are valid for a year from the given instant', () => {
    const [license] = generatedLicenses(START, { licenses: 1, featuresPerLicense: 1 });
    expect(license?.validity_period).toBe(
      new Date(START + 365 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10),
    );
    expect(license?.is_expired).toBe(false);
  });
});
