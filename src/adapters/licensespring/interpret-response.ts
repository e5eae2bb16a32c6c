import type { KeyObject } from 'node:crypto';
import { meaningOfErrorCode } from './vendor-error-codes.js';
import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import type { ParseResult } from './parse-device-licenses.js';
import { SIGNATURE_HEADER, verifyResponseSignature } from './response-signature.js';
import { parseHttpDate, retryAfterMs } from './vendor-date.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * Turns one HTTP answer into an outcome. The order matters: a body is only believed after its
 * signature checks out, and only then is its shape looked at.
 */
export function interpretResponse<T>(
  response: RawResponse,
  options: {
    readonly publicKey: KeyObject | null;
    readonly now: number;
    readonly parse: (body: unknown) => ParseResult<T>;
  },
): UpstreamOutcome<T> {
  const { status } = response;
  const header = (name: string) => single(response.headers[name]);
  if (status === 429 || status >= 500 || status === 408) {
    return {
      kind: 'unreachable',
      cause: status === 429 ? 'rate_limited' : status === 408 ? 'timeout' : 'server_error',
      status,
      retryAfterMs: retryAfterMs(header('retry-after'), options.now),
    };
  }
  const json = parseJson(response.body);
  if (status >= 400) {
    const error = vendorError(json);
    // A 4xx that is not the vendor's error body came from something else on the way (a proxy,
    // a captive portal): not an answer from the licence server.
    if (error === null && status !== 401 && status !== 403) {
      return { kind: 'not-genuine', reason: 'wrong_shape' };
    }
    const meaning = meaningOfErrorCode(status, error?.code ?? null);
    return meaning.kind === 'refused'
      ? { kind: 'refused', code: meaning.code, upstreamCode: error?.code ?? null, status }
      : { kind: 'rejected', code: meaning.code, status, message: error?.message ?? '' };
  }
  if (status !== 200) return { kind: 'not-genuine', reason: 'wrong_shape' };
  if (json === undefined) return { kind: 'not-genuine', reason: 'malformed_json' };
  if (options.publicKey !== null) {
    const signature = header(SIGNATURE_HEADER);
    if (signature === undefined || signature === '') {
      return { kind: 'not-genuine', reason: 'missing_signature' };
    }
    if (!verifyResponseSignature(json, signature, options.publicKey)) {
      return { kind: 'not-genuine', reason: 'bad_signature' };
    }
  }
  const parsed = options.parse(json);
  if (!parsed.ok) return { kind: 'not-genuine', reason: 'wrong_shape' };
  return {
    kind: 'genuine',
    value: parsed.value,
    evidence: { body: response.body, signature: header(SIGNATURE_HEADER) ?? null },
    serverDate: parseHttpDate(header('date')),
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function vendorError(json: unknown): { code: string; message: string } | null {
  if (typeof json !== 'object' || json === null) return null;
  const { code, message } = json as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return null;
  return { code, message: typeof message === 'string' ? message : '' };
}
