import type { ConfigIssue } from './config-error.js';
import { readSecret } from './read-secret.js';
import type { ManagementSettings, ManagementUpstream } from './resolved-config.js';
import { SANDBOX, type ParsedConfig } from './schema.js';

/** The vendor's Management API (api/README.md); other deployments configure their own. */
export const VENDOR_MANAGEMENT_URL = 'https://saas.licensespring.com/';

export const MANAGEMENT_API_KEY = 'licensespring.management.apiKey';

/**
 * The `licensespring.management` section, its key left unread. The sandbox is used when asked for
 * by name, or when the License API is the sandbox and no Management API is named.
 */
export function resolveManagement(
  ls: ParsedConfig['licensespring'],
  baseDir: string,
  sources: ReadonlyMap<string, string>,
  issues: ConfigIssue[],
): ManagementSettings {
  const m = ls.management;
  const settings = {
    timeoutMs: m.timeoutSeconds * 1000,
    maxRetryAfterMs: m.maxRetryAfterSeconds * 1000,
  };
  const named = m.baseUrl ?? (ls.baseUrl === SANDBOX ? SANDBOX : VENDOR_MANAGEMENT_URL);
  if (named === SANDBOX)
    return Object.freeze({ ...settings, upstream: { kind: 'sandbox' as const } });
  if (new URL(named).protocol === 'http:' && !ls.insecure.allowPlainHttp) {
    const key = 'licensespring.management.baseUrl';
    issues.push({
      key,
      message: `${named} is plain http: the API key and every licence would travel unprotected. Use https, or set licensespring.insecure.allowPlainHttp: true for a test server`,
      source: sources.get(key) ?? null,
    });
  }
  const upstream: ManagementUpstream = {
    kind: 'management',
    baseUrl: named.endsWith('/') ? named : `${named}/`,
    apiKey: m.apiKey,
    baseDir,
  };
  return Object.freeze({ ...settings, upstream: Object.freeze(upstream) });
}

export type ApiKeyRead =
  | { readonly kind: 'key'; readonly apiKey: string }
  | { readonly kind: 'unreadable'; readonly issues: readonly ConfigIssue[] };

/** Reads the Management API key, for a `fleet` command only; an issue names the key to fix. */
export async function readManagementApiKey(
  upstream: Extract<ManagementUpstream, { kind: 'management' }>,
  env: NodeJS.ProcessEnv,
  sources: ReadonlyMap<string, string>,
): Promise<ApiKeyRead> {
  const issues: ConfigIssue[] = [];
  const apiKey = await readSecret(
    MANAGEMENT_API_KEY,
    upstream.apiKey,
    upstream.baseDir,
    env,
    sources,
    issues,
  );
  return apiKey === null ? { kind: 'unreadable', issues } : { kind: 'key', apiKey };
}
