/** What a redacted value becomes in the output. */
export const REDACTED = '[redacted]';

/**
 * Field names that hold a secret wherever they appear. pino's paths are case-sensitive, hence the
 * spelled-out variants: camelCase from our own objects, snake_case from LicenseSpring and OAuth
 * payloads, and `Authorization` both as undici sends it and as node:http lower-cases it.
 */
const SECRET_FIELDS = [
  'apiKey',
  'api_key',
  'sharedKey',
  'shared_key',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'licenseKey',
  'license_key',
  'password',
  'token',
  'secret',
  'authorization',
  'Authorization',
] as const;

const AUTHORIZATION = ['authorization', 'Authorization'] as const;

/**
 * Each wildcard path costs about a microsecond on every line written (measured with
 * @pinojs/redact 0.4: 140 wildcard paths made a line ~80x dearer), so depth is bought where a
 * secret can actually sit rather than everywhere:
 * - every secret field at the top level and one or two objects down (`config.licensespring.apiKey`);
 * - `Authorization` one level deeper still, for `upstream.request.headers.authorization`;
 * - licence keys inside arrays of licences, at the top level or one object down.
 * A licence's `key` (domain `License.key`) is a secret only on licence objects; a bare `key`
 * elsewhere (a cache key) is not, so those paths name the licence container.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...AUTHORIZATION.map((field) => `*.*.*.${field}`),
  ...['license_key', 'licenseKey'].flatMap((field) => [`*[*].${field}`, `*.*[*].${field}`]),
  'license.key',
  '*.license.key',
  'licenses[*].key',
  '*.licenses[*].key',
];
