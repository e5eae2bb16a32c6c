import type { License, LicenseFeature } from '../../src/domain/license.js';

export const T0 = Date.parse('2026-06-01T00:00:00Z');

export function feature(overrides: Partial<LicenseFeature> = {}): LicenseFeature {
  return {
    code: 'reporting',
    name: 'Reporting',
    type: 'activation',
    expiresAt: null,
    floating: false,
    ...overrides,
  };
}

export function license(overrides: Partial<License> = {}): License {
  return {
    id: 1,
    key: 'AAAA-BBBB-CCCC-DDDD',
    user: null,
    productCode: 'edge-suite',
    productName: 'Edge Suite',
    type: 'subscription',
    enabled: true,
    active: true,
    trial: false,
    expired: false,
    validUntil: null,
    graceHours: 0,
    floating: false,
    preventVm: false,
    features: [feature()],
    ...overrides,
  };
}

/** Evidence for observations built by hand: the tests that use it never re-verify it. */
export const evidence = { body: '[]', signature: null };
