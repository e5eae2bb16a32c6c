import type { ActivationApi, ActivationRequest } from '../../agent/activation-ports.js';
import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import { exchange } from '../http-client/exchange.js';
import { interpretResponse } from './interpret-response.js';
import type { LicenseApiClientOptions } from './license-api-client.js';
import type { ParseResult } from './parse-device-licenses.js';

/** An activation answer is one licence; anything near this is not one. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * `POST activate_license` and `POST deactivate_license`, authenticated, sent and verified as the
 * License API client's calls are. A 400 is the vendor saying no (an activation limit, a key it
 * does not know): reported with its code, never retried by the caller in a loop.
 */
export function createActivationApiClient(options: LicenseApiClientOptions): ActivationApi {
  const post = async (
    path: 'activate_license' | 'deactivate_license',
    req: ActivationRequest,
    signal: AbortSignal,
  ): Promise<UpstreamOutcome<null>> => {
    const auth = await options.authenticator.authorize(signal);
    if (auth.kind === 'failed') return auth.outcome;
    const answer = await exchange(
      {
        url: new URL(path, options.baseUrl),
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          ...auth.headers,
        },
        body: JSON.stringify({
          hardware_id: req.hardwareId,
          product: req.product,
          license_key: req.licenseKey,
        }),
        dispatcher: options.dispatcher,
        timeoutMs: options.timeoutMs,
        maxBodyBytes: MAX_BODY_BYTES,
      },
      signal,
    );
    if (answer.kind === 'unreachable') {
      return { kind: 'unreachable', cause: answer.cause, status: null, retryAfterMs: null };
    }
    if (answer.status === 400) {
      const code = vendorCode(answer.body);
      // A request the server could not authenticate is not a refusal of the licence.
      if (code !== null && !AUTH_CODES.has(code)) {
        return { kind: 'refused', code: 'refused_other', upstreamCode: code, status: 400 };
      }
    }
    const outcome: UpstreamOutcome<null> = interpretResponse(
      { status: answer.status, headers: answer.headers, body: answer.body },
      { publicKey: options.publicKey, now: options.clock.now(), parse: anyJson },
    );
    if (outcome.kind === 'rejected') options.authenticator.invalidate();
    return outcome;
  };
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

function anyJson(): ParseResult<null> {
  return { ok: true, value: null };
}
