import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeviceLicenses } from '../../../src/adapters/licensespring/parse-device-licenses.js';
import { parseFeatureCheck } from '../../../src/adapters/licensespring/parse-feature-check.js';
import { parseVendorInstant } from '../../../src/adapters/licensespring/vendor-date.js';

const fixture = (name: string): unknown =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/licensespring/${name}`, import.meta.url), 'utf8'),
  );

describe('device_licenses', () => {
  it("accepts the vendor's own example body, which breaks the vendor's own schema", () => {
    const result = parseDeviceLicenses(fixture('device-licenses.004-example.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toHaveLength(2);
    expect(result.value[0]).toMatchObject({
      id: 1702983098133459,
      key: 'H62K-C35N-BS2J-VZ13',
      productCode: '1337',
      active: true,
      enabled: true,
      trial: true,
      validUntil: Date.parse('2023-12-20T00:00:00Z'),
      graceHours: 0,
    });
    expect(result.value[0]?.features).toEqual([
      { code: 'e', name: 'e', type: 'activation', expiresAt: null, floating: false },
    ]);
    expect(result.value[1]).toMatchObject({ active: false, validUntil: null });
    expect(result.value[1]?.features[0]?.floating).toBe(true);
  });

  it('keeps floating_timeout, in minutes, of floating licences and features', () => {
    const result = parseDeviceLicenses(fixture('device-licenses.004-example.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value[1]).toMatchObject({ floating: true, floatingTimeoutMinutes: 120 });
    expect(result.value[1]?.features[0]).toMatchObject({
      floating: true,
      floatingTimeoutMinutes: 120,
    });
  });

  it('reads a null or non-positive floating_timeout as not said', () => {
    const [first] = fixture('device-licenses.004-example.json') as Record<string, unknown>[];
    for (const timeout of [null, 0, -5]) {
      const result = parseDeviceLicenses([{ ...first, floating_timeout: timeout }]);
      expect(result.ok && 'floatingTimeoutMinutes' in result.value[0]!).toBe(false);
    }
  });

  it('reads a user-based licence by its user', () => {
    const [first] = fixture('device-licenses.004-example.json') as Record<string, unknown>[];
    const { license_key: _dropped, ...rest } = first!;
    const result = parseDeviceLicenses([{ ...rest, user: { id: 7, email: 'ops@example.com' } }]);
    expect(result.ok && result.value[0]).toMatchObject({ key: null, user: 'ops@example.com' });
  });

  it('counts grace hours only when the licence allows a grace period', () => {
    const [first] = fixture('device-licenses.004-example.json') as Record<string, unknown>[];
    const allowed = parseDeviceLicenses([{ ...first, allow_grace_period: true, grace_period: 48 }]);
    const refused = parseDeviceLicenses([
      { ...first, allow_grace_period: false, grace_period: 48 },
    ]);
    expect(allowed.ok && allowed.value[0]?.graceHours).toBe(48);
    expect(refused.ok && refused.value[0]?.graceHours).toBe(0);
  });

  it.each([
    ['a body that is not a list', { licenses: [] }],
    [
      'a licence without license_active',
      [
        {
          id: 1,
          license_key: 'K',
          license_enabled: true,
          license_type: 'x',
          product_details: { short_code: 'p' },
        },
      ],
    ],
    [
      'a licence whose license_active is a string',
      [
        {
          id: 1,
          license_key: 'K',
          license_active: 'yes',
          license_enabled: true,
          license_type: 'x',
          product_details: { short_code: 'p' },
        },
      ],
    ],
    [
      'a licence with neither key nor user',
      [
        {
          id: 1,
          license_active: true,
          license_enabled: true,
          license_type: 'x',
          product_details: { short_code: 'p' },
        },
      ],
    ],
    [
      'a validity that is not a date',
      [
        {
          id: 1,
          license_key: 'K',
          license_active: true,
          license_enabled: true,
          license_type: 'x',
          validity_period: 'soon',
          product_details: { short_code: 'p' },
        },
      ],
    ],
    [
      'a feature of an unknown type',
      [
        {
          id: 1,
          license_key: 'K',
          license_active: true,
          license_enabled: true,
          license_type: 'x',
          product_details: { short_code: 'p' },
          product_features: [{ code: 'f', feature_type: 'magic' }],
        },
      ],
    ],
  ])('refuses %s', (_fact, body) => {
    expect(parseDeviceLicenses(body).ok).toBe(false);
  });
});

describe('check_license_feature', () => {
  it('accepts a body that satisfies the vendor schema', () => {
    const result = parseFeatureCheck(fixture('check-license-feature.002-example.json'));
    expect(result).toEqual({
      ok: true,
      value: { licenseId: 1702983098133459, code: 'e', expiresAt: null, floatingInUse: null },
    });
  });

  it('reads an expiry and the floating slots in use', () => {
    const body = {
      ...(fixture('check-license-feature.002-example.json') as object),
      expiry_date: '2027-01-01T00:00:00Z',
      floating_in_use_devices: 3,
    };
    expect(parseFeatureCheck(body)).toMatchObject({
      ok: true,
      value: { expiresAt: Date.parse('2027-01-01T00:00:00Z'), floatingInUse: 3 },
    });
  });

  it('refuses a body without the licence it answers for', () => {
    expect(parseFeatureCheck({ code: 'e' }).ok).toBe(false);
  });
});

describe('vendor instants', () => {
  it.each([
    ['2023-12-20', '2023-12-20T00:00:00.000Z'],
    ['2024-09-27 23:30', '2024-09-27T23:30:00.000Z'],
    ['2024-09-27T23:30:48.016Z', '2024-09-27T23:30:48.016Z'],
    ['2024-09-27T23:30:48+02:00', '2024-09-27T21:30:48.000Z'],
  ])('%s is read as %s, in UTC whatever the local zone', (text, iso) => {
    expect(new Date(parseVendorInstant(text)!).toISOString()).toBe(iso);
  });
});
