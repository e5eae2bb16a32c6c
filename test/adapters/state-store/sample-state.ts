import { readFileSync } from 'node:fs';
import type { SavedState } from '../../../src/agent/state-ports.js';

export const HARDWARE_ID = 'e278-db06-734a-4019-6a25-e5d5-9859-7135';
export const OTHER_HARDWARE_ID = '0c1d-77aa-2b3e-9f40-1d2c-3b4a-5968-7a8b';

/** The vendor's own device_licenses example, byte for byte: a licence with a validity_period. */
export const deviceLicensesBody = readFileSync(
  new URL('../../fixtures/licensespring/device-licenses.004-example.json', import.meta.url),
  'utf8',
);

/** A feature-check body with non-ASCII text, so byte-exactness covers multi-byte UTF-8. */
export const featureCheckBody = JSON.stringify({
  code: 'reporting',
  name: 'Zähler – Berichte €',
  feature_type: 'consumption',
  expiry_date: '2031-01-31T00:00:00.000Z',
  license_id: 1702983098133459,
  max_consumption: 100,
  total_consumptions: 7,
});

const signature = 'dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaXMgYnl0ZXM=';

/** A realistic state: a genuine device_licenses answer, a granted and a refused feature check. */
export function sampleState(hardwareId: string = HARDWARE_ID): SavedState {
  return {
    hardwareId,
    deviceLicenses: {
      kind: 'genuine',
      evidence: { body: deviceLicensesBody, signature },
      verifiedAt: 1_767_225_600_000,
    },
    featureChecks: [
      {
        licenseId: 1702983098133459,
        code: 'reporting',
        answer: {
          kind: 'genuine',
          evidence: { body: featureCheckBody, signature: null },
          verifiedAt: 1_767_225_601_000,
        },
      },
      {
        licenseId: 1702983098133459,
        code: 'opc-ua-connector',
        answer: { kind: 'refused', code: 'feature_not_on_license', verifiedAt: 1_767_225_602_000 },
      },
    ],
    trust: {
      lastGenuineAt: 1_767_225_602_000,
      highestTrustedAt: 1_767_229_200_000,
      highestMonotonic: 86_400_000.25,
      failingSince: 1_767_228_000_000,
      lastFailure: 'timeout',
      serverSkewMs: -1_250,
      clockRollbacks: 1,
      clockBehindMs: null,
      timeCorrections: 1,
    },
    bootId: '81d9a188-2f24-4afc-ba88-17deeaf1326f',
    savedAt: 1_767_229_200_000,
  };
}
