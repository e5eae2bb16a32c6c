/** The exceptions the vendor documents for `check_license_feature` (002), all HTTP 400. */
export const FEATURE_CHECK_ERROR_CODES = [
  'missing_headers',
  'unknown_product',
  'license_not_found',
  'license_not_enabled',
  'license_not_active',
  'device_not_found',
  'blacklisted',
  'invalid_license_feature_code',
  'floating_not_available',
] as const;

export type FeatureCheckErrorCode = (typeof FEATURE_CHECK_ERROR_CODES)[number];

/** Request authentication failures (api/README.md): 400, except an unusable bearer token. */
export type AuthErrorCode =
  | 'missing_headers'
  | 'authorization_invalid_headers'
  | 'hmac_required'
  | 'signature_mismatch'
  | 'date_header_diff'
  | 'unauthorized';

/**
 * The vendor does not document how it answers a missing or malformed query parameter; the sandbox
 * names the parameter so a test failure says what the agent left out.
 */
export type QueryErrorCode =
  | 'hardware_id_required'
  | 'product_required'
  | 'feature_required'
  | 'license_key_or_username_required'
  | 'license_id_invalid';

/**
 * `activate_license` and `deactivate_license` refusals. The vendor's exact codes are not in the
 * documents (api/README.md, "Calls beyond the documents"): these are the sandbox's own names.
 */
export type ActivationErrorCode =
  'license_key_required' | 'license_activation_limit_reached' | 'license_not_activated';

export type RoutingErrorCode =
  'not_found' | 'method_not_allowed' | 'payload_too_large' | 'internal_error';

export type ApiErrorCode =
  FeatureCheckErrorCode | AuthErrorCode | QueryErrorCode | ActivationErrorCode | RoutingErrorCode;

/** The License API's error body, sent with `status` as the HTTP status. */
export interface ApiError {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly message: string;
}

export function apiError(code: ApiErrorCode, message: string, status = 400): ApiError {
  return { status, code, message };
}

/** The vendor's own wording for each 002 exception, so the agent meets real messages. */
const featureCheckMessages: Readonly<Record<FeatureCheckErrorCode, string>> = {
  missing_headers: 'Some headers are missing',
  unknown_product: 'Provided product was not found',
  license_not_found: 'License with the provided license key or user not found',
  license_not_enabled: 'The license is not enabled',
  license_not_active: 'The license is not active',
  device_not_found: 'An active device matching the hardware_id not found',
  blacklisted: 'This device is blacklisted',
  invalid_license_feature_code: 'License feature code is invalid or not assigned to the license',
  floating_not_available: 'No available slots for floating license',
};

export function featureCheckError(code: FeatureCheckErrorCode, feature?: string): ApiError {
  if (code === 'invalid_license_feature_code' && feature !== undefined) {
    return apiError(
      code,
      `License feature code '${feature}' is invalid or not assigned to the license`,
    );
  }
  return apiError(code, featureCheckMessages[code]);
}
