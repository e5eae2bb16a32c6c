import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { envOverrides } from './env-overrides.js';
import { readConfigFile } from './read-config-file.js';
import { configSchema } from './schema.js';

/** Where a client finds the agent a config file describes, and the token it should send. */
export interface LocalApiAddress {
  /** `http.socket.path`, when the agent serves one: preferred, as it needs no token. */
  readonly socketPath: string | null;
  /** `http.host:port` as a client dials it (a wildcard host is dialled on loopback). */
  readonly url: string;
  readonly token:
    | { readonly kind: 'file'; readonly path: string }
    | { readonly kind: 'value'; readonly value: string }
    | null;
}

/**
 * Reads only the `http` section (file, then `ELA_HTTP__*` overrides), so that a client on the
 * device, a container's health check say, can find the agent without the licence server's
 * credentials the rest of the config needs. A token held as a systemd credential is found only
 * where `$CREDENTIALS_DIRECTORY` is set, as it is for the service itself.
 */
export async function localApiAddress(options: {
  readonly path: string;
  readonly env: NodeJS.ProcessEnv;
}): Promise<LocalApiAddress> {
  const path = resolve(options.path);
  const raw = await readConfigFile(path);
  const http: Record<string, unknown> = isMapping(raw['http']) ? { ...raw['http'] } : {};
  const { overrides, issues } = envOverrides(options.env);
  if (issues.length > 0) throw new ConfigError('config_invalid', issues);
  for (const o of overrides) {
    if (o.path[0] === 'http' && o.path.length === 2 && o.path[1] !== undefined) {
      http[o.path[1]] = o.value;
    }
  }
  const parsed = configSchema.shape.http.safeParse(http);
  if (!parsed.success) {
    throw new ConfigError(
      'config_invalid',
      parsed.error.issues.map((i) => ({
        key: ['http', ...i.path.map(String)].join('.'),
        message: i.message,
        source: `file ${path}`,
      })),
    );
  }
  const { host, port, socket, token } = parsed.data;
  const baseDir = dirname(path);
  const credentials = options.env['CREDENTIALS_DIRECTORY'];
  let tokenRef: LocalApiAddress['token'] = null;
  if (token?.value !== undefined) tokenRef = { kind: 'value', value: token.value };
  else if (token?.file !== undefined)
    tokenRef = { kind: 'file', path: resolve(baseDir, token.file) };
  else if (token?.credential !== undefined && credentials !== undefined && credentials !== '') {
    tokenRef = { kind: 'file', path: join(credentials, token.credential) };
  }
  return {
    socketPath: socket === null ? null : resolve(baseDir, socket.path),
    url: `http://${dialHost(host)}:${String(port)}`,
    token: tokenRef,
  };
}

/** A listener on every address is reached on loopback; an IPv6 literal needs its brackets. */
function dialHost(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === '0.0.0.0') return '127.0.0.1';
  if (bare === '::') return '[::1]';
  return bare.includes(':') ? `[${bare}]` : bare;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
