import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_PRODUCT_CODE,
  SANDBOX_USER_PRODUCT_CODE,
  sandboxLicenses,
} from '../../../src/adapters/sandbox/fixture-licenses.js';
import { START } from './sandbox-http.js';

const DAY = 24 * 60 * 60 * 1000;
const vendorExample: Record<string, unknown>[] = JSON.parse(
  readFileSync(
    new URL('../../fixtures/licensespring/device-licenses.004-example.json', import.meta.url),
    'utf8',
  ),
);

const licenses = sandboxLicenses(START);
const byOrder = (id: string) => licenses.find((license) => license.order_store_id === id)!;

describe('sandbox fixture licences', () => {
  it('have every field of the vendor example licence except the key or user', () => {
    const vendorFields = Object.keys(vendorExample[0]!).filter(
      (field) =>
        !['license_key', 'floating_users', 'floating_in_use_devices', 'trial_days'].includes(field),
    );
    for (const license of licenses) {
      expect(Object.keys(license)).toEqual(expect.arrayContaining(vendorFields));
    }
  });

  it('are each key-based or user-based, never both', () => {
    const kinds = licenses.map((license) => 'license_key' in license !== 'user' in license);
    expect(kinds.every(Boolean)).toBe(true);
    expect(licenses.some((license) => 'user' in license)).toBe(true);
  });

  it('include a key-based licence valid for a year from the sandbox clock', () => {
    const license = byOrder('sandbox-key-based');
    expect(license.validity_period).toBe(new Date(START + 365 * DAY).toISOString().slice(0, 10));
    expect(license.product_details.short_code).toBe(SANDBOX_PRODUCT_CODE);
    expect(license.product_features.map((feature) => feature.code)).toEqual([
      'reporting',
      'analytics',
      'opc-ua-connector',
    ]);
  });

  it('include an analytics feature that expires in 30 days and a floating connector', () => {
    const features = byOrder('sandbox-key-based').product_features;
    const analytics = features.find((feature) => feature.code === 'analytics');
    const connector = features.find((feature) => feature.code === 'opc-ua-connector');
    expect(Date.parse(analytics!.expiry_date!)).toBe(START + 30 * DAY);
    expect(connector).toMatchObject({ is_floating_cloud: true, floating_users: 2 });
  });

  it('include a licence that expired before the sandbox clock', () => {
    const license = byOrder('sandbox-expired');
    expect(license.is_expired).toBe(true);
    expect(Date.parse(license.validity_period!)).toBeLessThan(START);
  });

  it('put the user-based licence on a product authorised by user', () => {
    expect(byOrder('sandbox-user-based').product_details).toMatchObject({
      short_code: SANDBOX_USER_PRODUCT_CODE,
      authorization_method: 'user',
    });
  });
});
