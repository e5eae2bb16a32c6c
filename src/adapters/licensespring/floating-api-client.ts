import type { FloatingApi, FloatingReleaseRequest } from '../../agent/floating-ports.js';
import type { LicenseApiClientOptions } from './license-api-client.js';
import { signedPost } from './signed-post.js';

/** A release answer is a few bytes; anything near this is not one. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * `POST floating/feature_release` and `POST floating/release`, authenticated and verified exactly
 * as the License API client's GETs: same authenticator, same exchange, same interpretation
 * (status, then `LicenseSignature`, then shape). The vendor documents no body for these answers,
 * so any JSON passes the shape; what counts is a signed 200.
 */
export function createFloatingApiClient(options: LicenseApiClientOptions): FloatingApi {
  return {
    release: (req, signal) =>
      signedPost(
        options,
        req.feature === null ? 'floating/release' : 'floating/feature_release',
        releaseBody(req),
        signal,
        { maxBodyBytes: MAX_BODY_BYTES },
      ),
  };
}

/** The vendor SDK's body: hardware_id, product, the licence's key or user, and for a feature its code and licence. */
function releaseBody(req: FloatingReleaseRequest): Record<string, string | number> {
  const who = 'licenseKey' in req ? { license_key: req.licenseKey } : { username: req.username };
  const base = { hardware_id: req.hardwareId, product: req.product, ...who };
  return req.feature === null ? base : { ...base, feature: req.feature, license_id: req.licenseId };
}
