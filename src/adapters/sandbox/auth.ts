import {
  hmacSignature,
  parseHmacAuthorization,
  signaturesEqual,
} from '../licensespring/request-signing.js';
import { apiError, type ApiError } from './errors.js';
import type { TokenStore } from './tokens.js';

export type AuthMethod = 'hmac' | 'bearer';

export type AuthResult =
  | { readonly ok: true; readonly method: AuthMethod }
  | { readonly ok: false; readonly error: ApiError; readonly challenge?: string };

export interface AuthContext {
  readonly apiKey: string;
  readonly sharedKey: string;
  readonly tokens: TokenStore;
  readonly now: () => number;
}

/** The vendor accepts a Date up to 15 minutes off, either way (api/README.md). */
export const MAX_DATE_SKEW_MS = 15 * 60 * 1000;

// RFC 7231's preferred form, the one every SDK sends; the obsolete forms are refused so an agent
// that drifts from it is caught here rather than by a stricter production server.
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export function parseHttpDate(value: string): number | null {
  if (!IMF_FIXDATE.test(value)) return null;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? null : instant;
}

/** Authenticates one License API request from its `Date` and `Authorization` headers. */
export function authenticate(
  date: string | undefined,
  authorization: string | undefined,
  context: AuthContext,
): AuthResult {
  if (date === undefined || authorization === undefined) {
    return refuse('missing_headers', 'Some headers are missing: Date and Authorization required');
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer !== null) return authenticateBearer(bearer[1] ?? '', context);
  return authenticateHmac(date, authorization, context);
}

function authenticateBearer(token: string, context: AuthContext): AuthResult {
  if (context.tokens.isValid(token)) return { ok: true, method: 'bearer' };
  return {
    ok: false,
    error: apiError('unauthorized', 'The access token is unknown or expired', 401),
    challenge: 'Bearer error="invalid_token"',
  };
}

function authenticateHmac(date: string, authorization: string, context: AuthContext): AuthResult {
  const params = parseHmacAuthorization(authorization);
  const { algorithm, headers, signature, apikey } = params ?? {};
  if (
    algorithm === undefined ||
    headers === undefined ||
    signature === undefined ||
    apikey === undefined
  ) {
    return refuse(
      'authorization_invalid_headers',
      'Authorization must be algorithm="hmac-sha256",headers="date",signature="…",apikey="…"',
    );
  }
  if (algorithm.toLowerCase() !== 'hmac-sha256') {
    return refuse('hmac_required', 'The signature algorithm must be hmac-sha256');
  }
  if (headers.toLowerCase() !== 'date') {
    return refuse('authorization_invalid_headers', 'The signed headers must be "date"');
  }
  const sent = parseHttpDate(date);
  if (sent === null || Math.abs(context.now() - sent) > MAX_DATE_SKEW_MS) {
    return refuse('date_header_diff', 'The Date header is invalid or more than 15 minutes off');
  }
  // An unknown key and a wrong shared key answer alike, so the answer does not confirm API keys.
  const expected = hmacSignature(context.sharedKey, date);
  const keyMatches = signaturesEqual(apikey, context.apiKey);
  if (!keyMatches || !signaturesEqual(signature, expected)) {
    return refuse('signature_mismatch', 'The request signature does not match');
  }
  return { ok: true, method: 'hmac' };
}

function refuse(code: ApiError['code'], message: string): AuthResult {
  return { ok: false, error: apiError(code, message) };
}
