import type { FloatingApi, FloatingReleaseRequest } from '../../agent/floating-ports.js';
import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import { exchange } from '../http-client/exchange.js';
import { interpretResponse } from './interpret-response.js';
import type { LicenseApiClientOptions } from './license-api-client.js';
import type { ParseResult } from './parse-device-licenses.js';

/** A release answer is a few bytes; anything near this is not one. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * `POST floating/feature_release` and `POST floating/release` over undici, authenticated and
 * verified exactly as the License API client's GETs: same authenticator, same exchange, same
 * interpretation (status, then `LicenseSignature`, then shape). The vendor documents no body for
 * these answers, so any JSON passes the shape; what counts is a signed 200.
 */
export function createFloatingApiClient(options: LicenseApiClientOptions): FloatingApi {
  return {
    release: async (req, signal) => {
      const auth = await options.authenticator.authorize(signal);
      if (auth.kind === 'failed') return auth.outcome;
      const path = req.feature === null ? 'floating/release' : 'floating/feature_release';
      const answer = await exchange(
        {
          url: new URL(path, options.baseUrl),
          method: 'POST',
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            ...auth.headers,
          },
          body: JSON.stringify(releaseBody(req)),
          dispatcher: options.dispatcher,
          timeoutMs: options.timeoutMs,
          maxBodyBytes: MAX_BODY_BYTES,
        },
        signal,
      );
      if (answer.kind === 'unreachable') {
        return { kind: 'unreachable', cause: answer.cause, status: null, retryAfterMs: null };
      }
      const outcome: UpstreamOutcome<null> = interpretResponse(
        { status: answer.status, headers: answer.headers, body: answer.body },
        { publicKey: options.publicKey, now: options.clock.now(), parse: anyJson },
      );
      if (outcome.kind === 'rejected') options.authenticator.invalidate();
      return outcome;
    },
  };
}

/** The vendor SDK's body: hardware_id, product, the licence's key or user, and for a feature its code and licence. */
function releaseBody(req: FloatingReleaseRequest): Record<string, string | number> {
  const who = 'licenseKey' in req ? { license_key: req.licenseKey } : { username: req.username };
  const base = { hardware_id: req.hardwareId, product: req.product, ...who };
  return req.feature === null ? base : { ...base, feature: req.feature, license_id: req.licenseId };
}

function anyJson(): ParseResult<null> {
  return { ok: true, value: null };
}
