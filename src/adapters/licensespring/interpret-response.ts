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
    /**
     * Whether a signed body is about this device (the per-licence signatures); only asked when a
     * key is configured, since without one nothing in the body can be verified.
     */
    readonly isForThisDevice?: (body: unknown, publicKey: KeyObject) => boolean;
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
    // Not the vendor's error body (a proxy, a captive portal) reads as a null code: never believed.
    const error = vendorError(json);
    const meaning = meaningOfErrorCode(status, error?.code ?? null);
    switch (meaning.kind) {
      case 'refused':
        return {
          kind: 'refused',
          code: meaning.code,
          upstreamCode: error?.code ?? null,
          status,
          serverDate: parseHttpDate(header('date')),
        };
      case 'rejected':
        return { kind: 'rejected', code: meaning.code, status, message: error?.message ?? '' };
      case 'unreachable':
        return { kind: 'unreachable', cause: meaning.cause, status, retryAfterMs: null };
      case 'not-genuine':
        return {
          kind: 'not-genuine',
          reason: error === null ? 'wrong_shape' : 'unrecognised_error',
        };
      default: {
        const never: never = meaning;
        return never;
      }
    }
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
    if (options.isForThisDevice?.(json, options.publicKey) === false) {
      return { kind: 'not-genuine', reason: 'foreign_answer' };
    }
  }
  const parsed = options.parse(json);
  if (!parsed.ok) return { kind: 'not-genuine', reason: 'wrong_shape' };
  // Every HTTP server with a clock sends `Date` (RFC 9110 §6.6.1) and the vendor's does; an answer
  // without one cannot be placed in time, so it cannot be told from a replay.
  const serverDate = parseHttpDate(header('date'));
  if (serverDate === null) return { kind: 'not-genuine', reason: 'untimely_answer' };
  return {
    kind: 'genuine',
    value: parsed.value,
    evidence: { body: response.body, signature: header(SIGNATURE_HEADER) ?? null },
    serverDate,
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
