/**
 * A definite "no" from the licence server, as opposed to not reaching it. Every exception the
 * vendor documents for `check_license_feature` and `device_licenses` maps to one stable code here
 * (the vendor's own codes are read in adapters/licensespring/vendor-error-codes.ts).
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
