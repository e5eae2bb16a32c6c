import { activation, commonLicenseFields, isoDay } from './fixture-licenses.js';
import type { VendorLicense } from './vendor-types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface GeneratedLicenseShape {
  readonly licenses: number;
  readonly featuresPerLicense: number;
}

/**
 * A device's worth of valid key-based licences of the sandbox product, each with its own activation
 * features (codes `feature-<licence>-<feature>`, unique across the set): what a benchmark needs to
 * measure a sync of a device that holds many licences, which the fixture licences (three, with
 * six features) cannot show. Dates are relative to `now`, as the fixtures' are.
 */
export function generatedLicenses(now: number, shape: GeneratedLicenseShape): VendorLicense[] {
  return Array.from({ length: shape.licenses }, (_, l) => ({
    ...commonLicenseFields,
    id: 1_700_000_001_000_000 + l,
    order_store_id: `generated-${l + 1}`,
    license_type: 'subscription',
    license_key: `GENE-RATE-D000-${String(l + 1).padStart(4, '0')}`,
    is_expired: false,
    validity_period: isoDay(now + 365 * DAY_MS),
    product_features: Array.from({ length: shape.featuresPerLicense }, (_, f) =>
      activation(
        1_700_000_002_000_000 + l * 1000 + f,
        `feature-${l + 1}-${f + 1}`,
        `Feature ${l + 1}.${f + 1}`,
        null,
      ),
    ),
  }));
}
