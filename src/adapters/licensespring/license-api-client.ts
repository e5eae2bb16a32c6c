import type { KeyObject } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { Clock, FeatureCheckRequest, LicenseApi } from '../../agent/ports.js';
import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import type { Authenticator } from './authenticator.js';
import { interpretResponse } from './interpret-response.js';
import { licenseBinding } from './license-signature.js';
import { parseDeviceLicenses, type ParseResult } from './parse-device-licenses.js';
import { parseFeatureCheck } from './parse-feature-check.js';
import { exchange } from '../http-client/exchange.js';

export interface LicenseApiClientOptions {
  /** Ends in `/api/v4/`. */
  readonly baseUrl: string;
  readonly authenticator: Authenticator;
  /** Null: signatures are not checked (only for deployments without a published key). */
  readonly publicKey: KeyObject | null;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly dispatcher: Dispatcher;
}

/** Cap on an answer's size: a licence list is kilobytes; anything near this is not one. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The License API over undici: one attempt per call, every ending turned into an outcome. */
export function createLicenseApiClient(options: LicenseApiClientOptions): LicenseApi {
  async function get<T>(
    path: string,
    query: Record<string, string>,
    parse: (body: unknown) => ParseResult<T>,
    signal: AbortSignal,
    isForThisDevice?: (body: unknown, publicKey: KeyObject) => boolean,
  ): Promise<UpstreamOutcome<T>> {
    const auth = await options.authenticator.authorize(signal);
    if (auth.kind === 'failed') return auth.outcome;
    const url = new URL(path, options.baseUrl);
    url.search = new URLSearchParams(query).toString();
    const answer = await exchange(
      {
        url,
        method: 'GET',
        headers: { accept: 'application/json', ...auth.headers },
        dispatcher: options.dispatcher,
        timeoutMs: options.timeoutMs,
        maxBodyBytes: MAX_BODY_BYTES,
      },
      signal,
    );
    if (answer.kind === 'unreachable') {
      return { kind: 'unreachable', cause: answer.cause, status: null, retryAfterMs: null };
    }
    // An oversized body is read as empty, which the interpretation refuses as malformed.
    const outcome = interpretResponse(
      { status: answer.status, headers: answer.headers, body: answer.body },
      {
        publicKey: options.publicKey,
        now: options.clock.now(),
        parse,
        ...(isForThisDevice === undefined ? {} : { isForThisDevice }),
      },
    );
    if (outcome.kind === 'rejected') options.authenticator.invalidate();
    return outcome;
  }

  return {
    deviceLicenses: (hardwareId, signal) =>
      get(
        'device_licenses',
        { hardware_id: hardwareId },
        parseDeviceLicenses,
        signal,
        (body, key) => licenseBinding(body, hardwareId, key) !== 'foreign',
      ),
    checkFeature: (req: FeatureCheckRequest, signal) =>
      get('check_license_feature', featureQuery(req), parseFeatureCheck, signal),
  };
}

function featureQuery(req: FeatureCheckRequest): Record<string, string> {
  const who = 'licenseKey' in req ? { license_key: req.licenseKey } : { username: req.username };
  return {
    ...who,
    hardware_id: req.hardwareId,
    product: req.product,
    feature: req.feature,
    license_id: String(req.licenseId),
  };
}
