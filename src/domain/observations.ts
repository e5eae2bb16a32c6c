import type { Evidence } from './evidence.js';
import type { FeatureGrant, License } from './license.js';
import type { RefusalCode } from './refusal.js';
import type { Instant } from './time.js';

// `serverDate` is the answer's own server `Date`: a later answer older than it is a replay. It is
// not saved to disk (absent after a restart), where the 15-minute window around trusted time
// is what remains.

/** The latest genuine `device_licenses` answer: the licences, or the server's definite refusal. */
export type LicensesObservation =
  | {
      readonly kind: 'licenses';
      readonly licenses: readonly License[];
      readonly verifiedAt: Instant;
      readonly evidence: Evidence;
      readonly serverDate?: Instant | null;
    }
  | {
      readonly kind: 'refused';
      readonly code: RefusalCode;
      readonly verifiedAt: Instant;
      readonly serverDate?: Instant | null;
    };

/** The latest genuine `check_license_feature` answer for one licence and feature. */
export type FeatureCheckObservation =
  | {
      readonly kind: 'granted';
      readonly grant: FeatureGrant;
      readonly verifiedAt: Instant;
      readonly evidence: Evidence;
      readonly serverDate?: Instant | null;
    }
  | {
      readonly kind: 'refused';
      readonly code: RefusalCode;
      readonly verifiedAt: Instant;
      readonly serverDate?: Instant | null;
    };

/** Everything genuine the agent has heard from the licence server: the input of every decision. */
export interface Observations {
  readonly licenses: LicensesObservation | null;
  readonly featureChecks: ReadonlyMap<string, FeatureCheckObservation>;
}

export const noObservations: Observations = { licenses: null, featureChecks: new Map() };

export function featureCheckKey(licenseId: number, code: string): string {
  return `${String(licenseId)}:${code}`;
}
