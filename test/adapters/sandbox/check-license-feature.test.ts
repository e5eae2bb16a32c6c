import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FEATURE_CHECK_ERROR_CODES,
  type FeatureCheckErrorCode,
} from '../../../src/adapters/sandbox/errors.js';
import {
  SANDBOX_LICENSE_KEY,
  SANDBOX_LICENSE_USER,
  SANDBOX_PRODUCT_CODE,
  SANDBOX_USER_PRODUCT_CODE,
  sandboxLicenses,
} from '../../../src/adapters/sandbox/fixture-licenses.js';
import type { Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { apiUrl, manualClock, send, signedHeaders, sandboxPerTest } from './sandbox-http.js';

const MINUTE = 60_000;
const KEY_LICENSE_ID = 1_700_000_000_000_101;
const example002: Record<string, unknown> = JSON.parse(
  readFileSync(
    new URL('../../fixtures/licensespring/check-license-feature.002-example.json', import.meta.url),
    'utf8',
  ),
);

const sandboxes = sandboxPerTest();
let sandbox: Sandbox;
let clock: ReturnType<typeof manualClock>;

async function start() {
  clock = manualClock();
  sandbox = await sandboxes.start({ now: clock.now });
}

function check(query: Record<string, string>, headers = signedHeaders(clock.now())) {
  return send(
    apiUrl(sandbox.url, 'check_license_feature', {
      license_key: SANDBOX_LICENSE_KEY,
      hardware_id: 'hw-1',
      product: SANDBOX_PRODUCT_CODE,
      feature: 'reporting',
      ...query,
    }),
    { headers },
  );
}

function keyLicenseWith(change: Record<string, unknown>) {
  return sandboxLicenses(clock.now()).map((license) =>
    license.id === KEY_LICENSE_ID ? { ...license, ...change } : license,
  );
}

describe('sandbox check_license_feature', () => {
  it('answers the 002 body for a feature of a key-based licence', async () => {
    await start();
    const answer = await check({});
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(Object.keys(example002).sort());
    expect(answer.body).toMatchObject({
      code: 'reporting',
      feature_type: 'activation',
      license_id: KEY_LICENSE_ID,
      expiry_date: null,
      is_floating: false,
      is_floating_cloud: false,
    });
  });

  it('answers the feature expiry the licence carries', async () => {
    await start();
    const answer = await check({ feature: 'analytics' });
    expect(answer.body.expiry_date).toBe(
      new Date(clock.now() + 30 * 24 * 60 * MINUTE).toISOString(),
    );
  });

  it('answers for a user-based licence by username', async () => {
    await start();
    const answer = await check({
      license_key: '',
      username: SANDBOX_LICENSE_USER,
      product: SANDBOX_USER_PRODUCT_CODE,
      feature: 'remote-support',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe('remote-support');
  });

  it('matches license_id when one is given', async () => {
    await start();
    const same = await check({ license_id: String(KEY_LICENSE_ID) });
    const other = await check({ license_id: '42' });
    expect([same.status, other.body.code]).toEqual([200, 'license_not_found']);
  });

  it('counts the devices holding a floating slot in floating_in_use_devices', async () => {
    await start();
    const first = await check({ feature: 'opc-ua-connector', hardware_id: 'hw-1' });
    const again = await check({ feature: 'opc-ua-connector', hardware_id: 'hw-1' });
    const second = await check({ feature: 'opc-ua-connector', hardware_id: 'hw-2' });
    expect([first, again, second].map((a): unknown => a.body.floating_in_use_devices)).toEqual([
      1, 1, 2,
    ]);
  });

  it('frees a floating slot floating_timeout minutes after its holder last checked', async () => {
    await start();
    await check({ feature: 'opc-ua-connector', hardware_id: 'hw-1' });
    await check({ feature: 'opc-ua-connector', hardware_id: 'hw-2' });
    clock.advance(119 * MINUTE);
    const stillFull = await check({ feature: 'opc-ua-connector', hardware_id: 'hw-3' });
    clock.advance(MINUTE);
    const freed = await check({ feature: 'opc-ua-connector', hardware_id: 'hw-3' });
    expect([stillFull.body.code, freed.status]).toEqual(['floating_not_available', 200]);
  });

  it.each([
    ['product', 'product_required'],
    ['feature', 'feature_required'],
    ['hardware_id', 'hardware_id_required'],
    ['license_key', 'license_key_or_username_required'],
  ])('answers a missing %s with 400 %s', async (parameter, code) => {
    await start();
    const answer = await check({ [parameter]: '' });
    expect(answer.body).toEqual({ status: 400, code, message: expect.any(String) });
  });

  it('lifts a feature refusal on clearRefusals', async () => {
    await start();
    sandbox.refuseFeature('reporting', 'license_not_active');
    const refused = await check({});
    sandbox.clearRefusals();
    const granted = await check({});
    expect([refused.body.code, granted.status]).toEqual(['license_not_active', 200]);
  });
});

interface ExceptionCase {
  readonly code: FeatureCheckErrorCode;
  readonly how: string;
  readonly message: string;
  readonly run: () => ReturnType<typeof check>;
}

const exceptions: readonly ExceptionCase[] = [
  {
    code: 'missing_headers',
    how: 'without Date and Authorization',
    message: expect.any(String),
    run: () => check({}, {}),
  },
  {
    code: 'unknown_product',
    how: 'for a product no licence is of',
    message: 'Provided product was not found',
    run: () => check({ product: 'no-such-product' }),
  },
  {
    code: 'license_not_found',
    how: 'for a licence key nobody holds',
    message: 'License with the provided license key or user not found',
    run: () => check({ license_key: 'NOPE-NOPE-NOPE-NOPE' }),
  },
  {
    code: 'license_not_enabled',
    how: 'for a disabled licence',
    message: 'The license is not enabled',
    run: () => {
      sandbox.setDeviceLicenses('hw-1', keyLicenseWith({ license_enabled: false }));
      return check({});
    },
  },
  {
    code: 'license_not_active',
    how: 'for an inactive licence',
    message: 'The license is not active',
    run: () => {
      sandbox.setDeviceLicenses('hw-1', keyLicenseWith({ license_active: false }));
      return check({});
    },
  },
  {
    code: 'device_not_found',
    how: 'for a device that holds no licence',
    message: 'An active device matching the hardware_id not found',
    run: () => {
      sandbox.setDeviceLicenses('hw-1', []);
      return check({});
    },
  },
  {
    code: 'blacklisted',
    how: 'for a blacklisted device',
    message: 'This device is blacklisted',
    run: () => {
      sandbox.refuseDevice('hw-1', 'blacklisted');
      return check({});
    },
  },
  {
    code: 'invalid_license_feature_code',
    how: 'for a feature the licence does not have',
    message: "License feature code 'teleport' is invalid or not assigned to the license",
    run: () => check({ feature: 'teleport' }),
  },
  {
    code: 'floating_not_available',
    how: 'when other devices hold every floating slot',
    message: 'No available slots for floating license',
    run: async () => {
      await check({ feature: 'opc-ua-connector', hardware_id: 'hw-2' });
      await check({ feature: 'opc-ua-connector', hardware_id: 'hw-3' });
      return check({ feature: 'opc-ua-connector' });
    },
  },
];

describe('sandbox check_license_feature exceptions (002)', () => {
  it('covers every exception the vendor documents', () => {
    expect(exceptions.map((c) => c.code)).toEqual([...FEATURE_CHECK_ERROR_CODES]);
  });

  it.each(exceptions)('answers $code $how', async ({ code, message, run }) => {
    await start();
    const answer = await run();
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ status: 400, code, message });
    expect(answer.headers['licensesignature']).toBeUndefined();
  });

  it('answers device_not_found for a device refused that way', async () => {
    await start();
    sandbox.refuseDevice('hw-1', 'device_not_found');
    expect((await check({})).body.code).toBe('device_not_found');
  });

  it.each(FEATURE_CHECK_ERROR_CODES)('answers %s for a feature refused with it', async (code) => {
    await start();
    sandbox.refuseFeature('reporting', code);
    const answer = await check({});
    expect([answer.status, answer.body.code]).toEqual([400, code]);
  });
});
