import type { Instant } from './time.js';

/**
 * What the agent relies on from a LicenseSpring licence. Everything else in the vendor's answer is
 * tolerated and ignored (see adapters/licensespring/parse-device-licenses.ts).
 */
export interface License {
  readonly id: number;
  /** Key-based licences only. A secret: never logged, never a metric label, never in an API answer. */
  readonly key: string | null;
  /** User-based licences only: the licence user's e-mail. */
  readonly user: string | null;
  readonly productCode: string;
  readonly productName: string;
  readonly type: string;
  readonly enabled: boolean;
  readonly active: boolean;
  readonly trial: boolean;
  /** The server's own `is_expired` flag (absent in some answers, then false). */
  readonly expired: boolean;
  /** End of validity; null when the licence does not expire. */
  readonly validUntil: Instant | null;
  /** Hours past `validUntil` during which the vendor still honours the licence, when it allows so. */
  readonly graceHours: number;
  readonly floating: boolean;
  /** The vendor forbids running it on a virtual machine (or in a container). */
  readonly preventVm: boolean;
  /** A floating licence's seat lapses this many minutes after the last check; absent: not said. */
  readonly floatingTimeoutMinutes?: number | null;
  readonly features: readonly LicenseFeature[];
}

export type FeatureType = 'activation' | 'consumption';

export interface LicenseFeature {
  readonly code: string;
  readonly name: string;
  readonly type: FeatureType;
  readonly expiresAt: Instant | null;
  /** Floating features hold a server-side slot: only `check_license_feature` can say one is free. */
  readonly floating: boolean;
  /** A floating feature's seat lapses this many minutes after the last check; absent: not said. */
  readonly floatingTimeoutMinutes?: number | null;
}

/** The answer of `check_license_feature` when the server grants the feature. */
export interface FeatureGrant {
  readonly licenseId: number;
  readonly code: string;
  readonly expiresAt: Instant | null;
  readonly floatingInUse: number | null;
}

/** The licences a feature check is asked for: by key or by user, per the vendor's two licence kinds. */
export function licenseIdentity(
  license: License,
): { readonly licenseKey: string } | { readonly username: string } | null {
  if (license.key !== null) return { licenseKey: license.key };
  if (license.user !== null) return { username: license.user };
  return null;
}
