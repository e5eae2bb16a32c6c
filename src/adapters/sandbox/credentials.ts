/**
 * The sandbox's default credentials. Deliberately fake and public: they open nothing but a sandbox
 * on loopback, and their names say so wherever they end up (configs, logs, screenshots).
 */
export const SANDBOX_API_KEY = 'sandbox-api-key-not-a-secret';
export const SANDBOX_SHARED_KEY = 'sandbox-shared-key-not-a-secret';
export const SANDBOX_CLIENT_ID = 'sandbox-client';
export const SANDBOX_CLIENT_SECRET = 'sandbox-client-secret-not-a-secret';

/** The vendor's access tokens last 480 s (api/README.md). */
export const DEFAULT_TOKEN_TTL_SECONDS = 480;

/** The path of the vendor's Keycloak token endpoint, kept so a configured URL looks familiar. */
export const TOKEN_PATH = '/realms/user-portal/protocol/openid-connect/token';

export const API_PREFIX = '/api/v4/';
