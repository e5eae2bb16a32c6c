import type { KeyObject } from 'node:crypto';
import { authenticate, type AuthContext, type AuthMethod } from './auth.js';
import { API_PREFIX, TOKEN_PATH } from './credentials.js';
import { apiError } from './errors.js';
import {
  FEATURE_RELEASE_PATH,
  FLOATING_RELEASE_PATH,
  floatingRelease,
} from './floating-release.js';
import { checkLicenseFeature, deviceLicenses } from './license-api.js';
import {
  ACTIVATE_PATH,
  activateLicense,
  DEACTIVATE_PATH,
  deactivateLicense,
} from './activation-routes.js';
import { LICENSES_PATH, type ManagementImitation } from './management/management-imitation.js';
import { errorReply, type Reply } from './reply.js';
import { issueToken, type OAuthClient } from './token-endpoint.js';
import type { SandboxWorld } from './world.js';

export interface RoutedRequest {
  readonly method: string;
  readonly url: URL;
  readonly header: (name: string) => string | undefined;
  readonly readBody: () => Promise<string>;
}

export interface RouterContext {
  readonly auth: AuthContext;
  readonly client: OAuthClient;
  readonly world: SandboxWorld;
  /** The vendor key's private half: the sandbox signs each licence for the device, as the vendor does. */
  readonly privateKey: KeyObject;
  /** The Management API, served on the same origin under its own path. */
  readonly management: ManagementImitation;
}

/** How a request authenticated: `none` for the token endpoint and unrouted paths. */
export type RequestAuth = AuthMethod | 'api-key' | 'rejected' | 'none';

export interface Routed {
  readonly reply: Reply;
  readonly auth: RequestAuth;
}

type LicenseApiHandler = (query: URLSearchParams, context: RouterContext) => Reply;
type LicenseApiPostHandler = (body: string, context: RouterContext) => Reply;

const licenseApi: Readonly<Record<string, LicenseApiHandler>> = {
  [`${API_PREFIX}device_licenses`]: (query, { world, privateKey }) =>
    deviceLicenses(query, world, privateKey),
  [`${API_PREFIX}check_license_feature`]: (query, { world, auth }) =>
    checkLicenseFeature(query, world, auth.now()),
};

const licenseApiPosts: Readonly<Record<string, LicenseApiPostHandler>> = {
  [`${API_PREFIX}${FLOATING_RELEASE_PATH}`]: (body, { world }) =>
    floatingRelease('license', body, world),
  [`${API_PREFIX}${FEATURE_RELEASE_PATH}`]: (body, { world }) =>
    floatingRelease('feature', body, world),
  [`${API_PREFIX}${ACTIVATE_PATH}`]: (body, { world, privateKey }) =>
    activateLicense(body, world, privateKey),
  [`${API_PREFIX}${DEACTIVATE_PATH}`]: (body, { world }) => deactivateLicense(body, world),
};

export async function route(request: RoutedRequest, context: RouterContext): Promise<Routed> {
  const path = request.url.pathname;
  if (path === TOKEN_PATH) {
    if (request.method !== 'POST') return { reply: methodNotAllowed('POST'), auth: 'none' };
    const reply = issueToken(
      {
        contentType: request.header('content-type'),
        authorization: request.header('authorization'),
        body: await request.readBody(),
      },
      context.client,
      context.auth.tokens,
    );
    return { reply, auth: 'none' };
  }

  if (path === LICENSES_PATH) {
    if (request.method !== 'GET') return { reply: methodNotAllowed('GET'), auth: 'none' };
    const reply = context.management.answer(
      request.url,
      request.header('authorization'),
      `http://${request.header('host') ?? 'sandbox'}`,
    );
    return { reply, auth: reply.status === 401 ? 'rejected' : 'api-key' };
  }

  const handler = Object.hasOwn(licenseApi, path) ? licenseApi[path] : undefined;
  const poster = Object.hasOwn(licenseApiPosts, path) ? licenseApiPosts[path] : undefined;
  if (handler === undefined && poster === undefined) {
    return { reply: errorReply(apiError('not_found', `No route for ${path}`, 404)), auth: 'none' };
  }
  const method = handler === undefined ? 'POST' : 'GET';
  if (request.method !== method) return { reply: methodNotAllowed(method), auth: 'none' };

  const authenticated = authenticate(
    request.header('date'),
    request.header('authorization'),
    context.auth,
  );
  if (!authenticated.ok) {
    const headers =
      authenticated.challenge === undefined
        ? undefined
        : { 'WWW-Authenticate': authenticated.challenge };
    return { reply: errorReply(authenticated.error, headers), auth: 'rejected' };
  }
  const reply =
    handler === undefined
      ? (poster as LicenseApiPostHandler)(await request.readBody(), context)
      : handler(request.url.searchParams, context);
  return { reply, auth: authenticated.method };
}

function methodNotAllowed(allowed: string): Reply {
  return errorReply(apiError('method_not_allowed', `Use ${allowed}`, 405), { Allow: allowed });
}
