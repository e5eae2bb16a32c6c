import type { RefusalCode, RejectionCode } from '../../domain/refusal.js';

/**
 * The vendor's documented exception codes with the HTTP status each comes with (api/README.md,
 * 002's "list of exceptions": every one is a 400). Error answers are not signed, so a code is
 * believed only where the vendor documents it, with the status the vendor sends it with: a
 * `404 blacklisted` or a `400 not_found` is not the licence server saying no.
 */
const DOCUMENTED_STATUS = 400;

/** The codes that refuse the licence. Two spellings of three of them are in the vendor's docs. */
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

/** The codes for a request it would not judge: credentials, clock, headers (also 400). */
const rejections: Readonly<Record<string, RejectionCode>> = {
  date_header_diff: 'date_header_diff',
  signature_mismatch: 'signature_mismatch',
  hmac_required: 'hmac_required',
  authorization_invalid_headers: 'authorization_invalid_headers',
  missing_headers: 'missing_headers',
};

/** What a 4xx answer means to the agent. */
export type ErrorBodyMeaning =
  | { readonly kind: 'refused'; readonly code: RefusalCode }
  | { readonly kind: 'rejected'; readonly code: RejectionCode }
  /** Not the licence server's documented word: treated as not received, grace keeps running. */
  | { readonly kind: 'not-genuine' }
  /** Something on the way (a proxy asking for credentials) stopped the request. */
  | { readonly kind: 'unreachable'; readonly cause: 'proxy' };

/**
 * Reads a 4xx status and the `code` of the vendor's `{status, code, message}` body (null when
 * the body is not one). Only a documented code with its documented status refuses or rejects;
 * 401 and 403 reject the credentials whatever the body; 407 is a proxy; anything else is not
 * believed, so a forged or misrouted 4xx can neither revoke nor count as a sync.
 */
export function meaningOfErrorCode(status: number, code: string | null): ErrorBodyMeaning {
  if (status === 407) return { kind: 'unreachable', cause: 'proxy' };
  if (status === 401) return { kind: 'rejected', code: 'unauthorized' };
  if (status === 403) return { kind: 'rejected', code: 'forbidden' };
  if (code === null || status !== DOCUMENTED_STATUS) return { kind: 'not-genuine' };
  const rejection = rejections[code];
  if (rejection !== undefined) return { kind: 'rejected', code: rejection };
  const refusal = refusals[code];
  if (refusal !== undefined) return { kind: 'refused', code: refusal };
  return { kind: 'not-genuine' };
}
