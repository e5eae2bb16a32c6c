import type { License, LicenseFeature } from '../domain/license.js';

export type FeatureCheckMode = 'auto' | 'all' | 'none';

/**
 * Which features to ask `check_license_feature` about. The vendor's rate limit is per company, so
 * every call is paid by the whole fleet: by default ask only where `device_licenses` cannot answer
 * (floating slots, consumption), plus the features the operator named. Naming features never
 * narrows the floating and consumption checks: without them a floating feature whose slots are
 * all taken would be granted from `device_licenses` alone.
 */
export function featuresToCheck(
  license: License,
  mode: FeatureCheckMode,
  configured: readonly string[],
): readonly LicenseFeature[] {
  switch (mode) {
    case 'none':
      return [];
    case 'all':
      return license.features;
    case 'auto':
      return license.features.filter((f) => needsCheck(f) || configured.includes(f.code));
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/** What only `check_license_feature` can tell: whether a slot is free, what is left to consume. */
function needsCheck(feature: LicenseFeature): boolean {
  return feature.floating || feature.type === 'consumption';
}
