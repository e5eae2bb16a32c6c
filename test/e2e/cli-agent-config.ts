import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const PUBLIC_KEY = fileURLToPath(
  new URL('../../config/licensespring-prod-public-key.pem', import.meta.url),
);

type Yaml = Readonly<Record<string, unknown>>;

/**
 * A config for an agent that uses the built-in sandbox: config/agent.example.yaml's keys, with
 * absolute paths, and `extra` merged in (stateDirectory, http, device, ...). The one place that
 * says "sandbox".
 */
export function sandboxConfigYaml(extra: Yaml): string {
  return stringify(
    merge(
      {
        licensespring: { baseUrl: 'sandbox', features: [], featureChecks: 'auto' },
        http: { host: '127.0.0.1', port: 0 },
        log: { level: 'info' },
      },
      extra,
    ),
  );
}

/**
 * A config for an agent whose licence server never answers (nothing listens on port 1): with no
 * saved state it stays not ready, and every sync fails.
 */
export function unreachableServerConfigYaml(extra: Yaml): string {
  return stringify(
    merge(
      {
        licensespring: {
          baseUrl: 'http://127.0.0.1:1/api/v4/',
          publicKeyFile: PUBLIC_KEY,
          insecure: { allowPlainHttp: true },
          auth: { method: 'hmac', apiKey: { value: 'k' }, sharedKey: { value: 's' } },
        },
        sync: { attempts: 1 },
        http: { host: '127.0.0.1', port: 0 },
        log: { level: 'info' },
      },
      extra,
    ),
  );
}

/**
 * A config for an agent whose licence server runs apart from it (a sandbox, or a proxy before
 * one), configured as a real server is: its URL, its key file and HMAC credentials.
 */
export function separateServerConfigYaml(
  server: {
    readonly url: string;
    readonly publicKeyFile: string;
    readonly apiKey: string;
    readonly sharedKey: string;
  },
  extra: Yaml,
): string {
  return stringify(
    merge(
      {
        licensespring: {
          baseUrl: server.url,
          publicKeyFile: server.publicKeyFile,
          insecure: { allowPlainHttp: true },
          auth: {
            method: 'hmac',
            apiKey: { value: server.apiKey },
            sharedKey: { value: server.sharedKey },
          },
        },
        http: { host: '127.0.0.1', port: 0 },
      },
      extra,
    ),
  );
}

function merge(base: Yaml, extra: Yaml): Yaml {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const under = merged[key];
    merged[key] = isObject(under) && isObject(value) ? merge(under, value) : value;
  }
  return merged;
}

function isObject(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Writes `<dir>/agent.yaml` for an agent whose licence server is `sandbox`, running apart (in the
 * test's process): its public key beside it, its credentials unless `sharedKey` says otherwise.
 */
export async function writeSeparateServerConfig(
  dir: string,
  sandbox: {
    readonly url: string;
    readonly publicKeyPem: string;
    readonly credentials: { readonly apiKey: string; readonly sharedKey: string };
  },
  extra: Yaml,
  sharedKey: string = sandbox.credentials.sharedKey,
): Promise<string> {
  const publicKeyFile = join(dir, 'sandbox.pem');
  await writeFile(publicKeyFile, sandbox.publicKeyPem);
  const config = join(dir, 'agent.yaml');
  await writeFile(
    config,
    separateServerConfigYaml(
      { url: sandbox.url, publicKeyFile, apiKey: sandbox.credentials.apiKey, sharedKey },
      extra,
    ),
  );
  return config;
}
