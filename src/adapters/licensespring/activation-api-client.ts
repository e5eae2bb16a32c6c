import type { ActivationApi, ActivationRequest } from '../../agent/activation-ports.js';
import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import type { LicenseApiClientOptions } from './license-api-client.js';
import { signedPost } from './signed-post.js';

/** An activation answer is one licence; anything near this is not one. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * `POST activate_license` and `POST deactivate_license`, authenticated, sent and verified as the
 * License API client's calls are. A 400 is the vendor saying no (an activation limit, a key it
 * does not know): reported with its code, never retried by the caller in a loop.
 */
export function createActivationApiClient(options: LicenseApiClientOptions): ActivationApi {
  const post = (
    path: 'activate_license' | 'deactivate_license',
    req: ActivationRequest,
    signal: AbortSignal,
  ): Promise<UpstreamOutcome<null>> =>
    signedPost(
      options,
      path,
      { hardware_id: req.hardwareId, product: req.product, license_key: req.licenseKey },
      signal,
      {
        maxBodyBytes: MAX_BODY_BYTES,
        early: (answer) => {
          if (answer.status !== 400) return null;
          const code = vendorCode(answer.body);
          // A request the server could not authenticate is not a refusal of the licence.
          return code === null || AUTH_CODES.has(code)
            ? null
            : { kind: 'refused', code: 'refused_other', upstreamCode: code, status: 400 };
        },
      },
    );
  return {
    activate: (req, signal) => post('activate_license', req, signal),
    deactivate: (req, signal) => post('deactivate_license', req, signal),
  };
}

const AUTH_CODES = new Set([
  'missing_headers',
  'authorization_invalid_headers',
  'hmac_required',
  'signature_mismatch',
  'date_header_diff',
  'unauthorized',
]);

function vendorCode(body: string): string | null {
  try {
    const json = JSON.parse(body) as { code?: unknown };
    return typeof json.code === 'string' && json.code !== '' ? json.code : null;
  } catch {
    return null;
  }
}
