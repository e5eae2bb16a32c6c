import { activation, commonLicenseFields, isoDay } from './fixture-licenses.js';
import type { VendorLicense } from './vendor-types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A licence no device holds until it activates it: the key the example config names (from
 * `config/sandbox-activation.key`), so that `npm start` shows an activation. Not a secret: it
 * opens only the sandbox.
 */
export const SANDBOX_ACTIVATION_KEY = 'SBOX-ACTI-VATE-0003';

/** Two devices may hold it at once: a third is refused, as the vendor refuses past `max_activations`. */
export const SANDBOX_ACTIVATION_LIMIT = 2;

export function activatableLicense(now: number): VendorLicense {
  return {
    ...commonLicenseFields,
    id: 1_700_000_000_000_104,
    order_store_id: 'sandbox-activatable',
    license_type: 'perpetual',
    license_key: SANDBOX_ACTIVATION_KEY,
    is_expired: false,
    validity_period: isoDay(now + 365 * DAY_MS),
    max_activations: SANDBOX_ACTIVATION_LIMIT,
    product_features: [activation(1_700_000_000_004_001, 'fleet-insights', 'Fleet insights', null)],
  };
}
