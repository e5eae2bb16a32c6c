import type { Evidence } from './evidence.js';
import type { FeatureGrant, License } from './license.js';
import type { RefusalCode } from './refusal.js';
import type { Instant } from './time.js';

/** The latest genuine `device_licenses` answer: the licences, or the server's definite refusal. */
export type LicensesObservation =
  | {
      readonly kind: 'licenses';
      readonly licenses: readonly License[];
      readonly verifiedAt: Instant;
      readonly evidence: Evidence;
    }
  | { readonly kind: 'refused'; readonly code: RefusalCode; readonly verifiedAt: Instant };

/** The latest genuine `check_license_feature` answer for one licence and feature. */
export type FeatureCheckObservation =
  | {
      readonly kind: 'granted';
      readonly grant: FeatureGrant;
      readonly verifiedAt: Instant;
      readonly evidence: Evidence;
    }
  | { readonly kind: 'refused'; readonly code: RefusalCode; readonly verifiedAt: Instant };

/** Everything genuine the agent has heard from the licence server: the input of every decision. */
export interface Observations {
  readonly licenses: LicensesObservation | null;
  readonly featureChecks: ReadonlyMap<string, FeatureCheckObservation>;
}

export const noObservations: Observations = { licenses: null, featureChecks: new Map() };

export function featureCheckKey(licenseId: number, code: string): string {
  return `${String(licenseId)}:${code}`;
}
