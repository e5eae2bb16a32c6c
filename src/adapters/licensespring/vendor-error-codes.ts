import type { RefusalCode, RejectionCode } from '../../domain/refusal.js';

/** The vendor's exception codes (api/README.md, both License API calls) that refuse the licence. */
const refusals: Readonly<Record<string, RefusalCode>> = {
  unknown_product: 'unknown_product',
  license_not_found: 'license_not_found',
  license_not_enabled: 'license_disabled',
  license_not_active: 'license_not_active',
  device_not_found: 'device_not_found',
  blacklisted: 'device_blacklisted',
  device_blacklisted: 'device_blacklisted',
  invalid_license_feature_code: 'feature_not_on_license',
  license_feature_code_invalid: 'feature_not_on_license',
  floating_not_available: 'floating_slots_exhausted',
  no_available_floating_slots: 'floating_slots_exhausted',
};

/** The vendor's codes for a request it would not judge: credentials, clock, headers. */
const rejections: Readonly<Record<string, RejectionCode>> = {
  date_header_diff: 'date_header_diff',
  signature_mismatch: 'signature_mismatch',
  hmac_required: 'hmac_required',
  authorization_invalid_headers: 'authorization_invalid_headers',
  missing_headers: 'missing_headers',
};

/** What a vendor error body means to the agent. */
export type ErrorBodyMeaning =
  | { readonly kind: 'refused'; readonly code: RefusalCode }
  | { readonly kind: 'rejected'; readonly code: RejectionCode };

/**
 * Reads the vendor's `{status, code, message}` error body. An unrecognised 4xx code is still the
 * server saying no, so it refuses (as `refused_other`) rather than being mistaken for an outage.
 */
export function meaningOfErrorCode(status: number, code: string | null): ErrorBodyMeaning {
  if (code !== null) {
    const rejection = rejections[code];
    if (rejection !== undefined) return { kind: 'rejected', code: rejection };
    const refusal = refusals[code];
    if (refusal !== undefined) return { kind: 'refused', code: refusal };
  }
  if (status === 401) return { kind: 'rejected', code: 'unauthorized' };
  if (status === 403) return { kind: 'rejected', code: 'forbidden' };
  return { kind: 'refused', code: 'refused_other' };
}
