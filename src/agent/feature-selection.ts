import type { License, LicenseFeature } from '../domain/license.js';

export type FeatureCheckMode = 'auto' | 'all' | 'none';

/**
 * Which features to ask `check_license_feature` about. The vendor's rate limit is per company, so
 * every call is paid by the whole fleet: by default ask only where `device_licenses` cannot answer
 * (floating slots, consumption), or for the features the operator named.
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
      return configured.length > 0
        ? license.features.filter((f) => configured.includes(f.code))
        : license.features.filter((f) => f.floating || f.type === 'consumption');
    default: {
      const never: never = mode;
      return never;
    }
  }
}
