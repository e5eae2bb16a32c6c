import { signaturesEqual } from '../licensespring/request-signing.js';
import type { Reply } from './reply.js';
import type { TokenStore } from './tokens.js';

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface TokenRequest {
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: string;
}

/**
 * The client-credentials grant as the vendor's Keycloak answers it (RFC 6749 §4.4): the client
 * authenticates by form fields or HTTP Basic, and errors are `{error, error_description}`.
 */
export function issueToken(request: TokenRequest, client: OAuthClient, tokens: TokenStore): Reply {
  const form = isForm(request.contentType)
    ? new URLSearchParams(request.body)
    : new URLSearchParams();
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'Missing form parameter: grant_type');

  const presented = basicCredentials(request.authorization) ?? {
    clientId: form.get('client_id') ?? '',
    clientSecret: form.get('client_secret') ?? '',
  };
  if (
    !signaturesEqual(presented.clientId, client.clientId) ||
    !signaturesEqual(presented.clientSecret, client.clientSecret)
  ) {
    return oauthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
  }
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
  }

  const token = tokens.issue();
  return {
    status: 200,
    body: {
      access_token: token.accessToken,
      expires_in: token.expiresInSeconds,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'profile email',
    },
    signed: false,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  };
}

function isForm(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined and base64-encoded. */
function basicCredentials(authorization: string | undefined): OAuthClient | null {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    // Malformed percent-encoding is a wrong credential, not a crash.
    return null;
  }
}

function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description }, signed: false };
}
