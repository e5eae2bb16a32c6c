import type { KeyObject } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import type { Clock, FeatureCheckRequest, LicenseApi } from '../../agent/ports.js';
import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import type { Authenticator } from './authenticator.js';
import { interpretResponse } from './interpret-response.js';
import { parseDeviceLicenses, type ParseResult } from './parse-device-licenses.js';
import { parseFeatureCheck } from './parse-feature-check.js';
import { transportFailure } from './transport-error.js';
import { requestDeadline } from './request-deadline.js';

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
  ): Promise<UpstreamOutcome<T>> {
    const auth = await options.authenticator.authorize(signal);
    if (auth.kind === 'failed') return auth.outcome;
    const url = new URL(path, options.baseUrl);
    url.search = new URLSearchParams(query).toString();
    const deadline = requestDeadline(signal, options.timeoutMs);
    try {
      const response = await request(url, {
        method: 'GET',
        dispatcher: options.dispatcher,
        signal: deadline.signal,
        headers: { accept: 'application/json', ...auth.headers },
      });
      const body = await readCapped(response.body);
      const outcome = interpretResponse(
        { status: response.statusCode, headers: response.headers, body },
        { publicKey: options.publicKey, now: options.clock.now(), parse },
      );
      if (outcome.kind === 'rejected') options.authenticator.invalidate();
      return outcome;
    } catch (error) {
      // Shutting down is not an outage: let the caller see its own abort.
      if (signal.aborted) throw error;
      return {
        kind: 'unreachable',
        cause: transportFailure(error, deadline.timedOut()),
        status: null,
        retryAfterMs: null,
      };
    } finally {
      deadline.release();
    }
  }

  return {
    deviceLicenses: (hardwareId, signal) =>
      get('device_licenses', { hardware_id: hardwareId }, parseDeviceLicenses, signal),
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

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      return '';
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
