/**
 * A definite "no" from the licence server, as opposed to not reaching it. Every exception the
 * vendor documents for `check_license_feature` and `device_licenses` maps to one stable code here.
 */
export type RefusalCode =
  | 'unknown_product'
  | 'license_not_found'
  | 'license_disabled'
  | 'license_not_active'
  | 'device_not_found'
  | 'device_blacklisted'
  | 'feature_not_on_license'
  | 'floating_slots_exhausted'
  | 'refused_other';

/**
 * The server rejected the request itself (credentials, clock, headers): it said nothing about the
 * licence, so it neither grants nor revokes. It is a problem for the operator to fix.
 */
export type RejectionCode =
  | 'date_header_diff'
  | 'signature_mismatch'
  | 'hmac_required'
  | 'authorization_invalid_headers'
  | 'missing_headers'
  | 'unauthorized'
  | 'forbidden';

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

const rejections: Readonly<Record<string, RejectionCode>> = {
  date_header_diff: 'date_header_diff',
  signature_mismatch: 'signature_mismatch',
  hmac_required: 'hmac_required',
  authorization_invalid_headers: 'authorization_invalid_headers',
  missing_headers: 'missing_headers',
};

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
