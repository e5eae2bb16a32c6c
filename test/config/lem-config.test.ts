import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0'))
  .join(':')
  .toUpperCase();
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** A config in its own directory, beside the given files; LicenseSpring on the sandbox. */
function configWith(lem: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ela-lem-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const path = join(dir, 'agent.yaml');
  writeFileSync(path, `licensespring: { baseUrl: sandbox }\n${lem}\n`);
  return path;
}

async function load(path: string, env: NodeJS.ProcessEnv = {}): Promise<ResolvedConfig> {
  return loadConfig({ path, env });
}

async function issuesOf(path: string): Promise<string[]> {
  try {
    await load(path);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.key} ${i.message}`);
    throw error;
  }
  throw new Error('the configuration was accepted');
}

const REAL = 'lem: { baseUrl: "https://lem.example:8446/", projectId: p1, token: { file: token } }';

describe('the lem config section', () => {
  it('is off when absent', async () => {
    expect((await load(configWith(''))).lem).toBeNull();
  });

  it('runs the sandbox when baseUrl says so, with the documented defaults', async () => {
    const { lem } = await load(configWith('lem: { baseUrl: sandbox }'));
    expect(lem).toEqual({
      upstream: { kind: 'sandbox' },
      deviceId: null,
      schedule: '*/15 * * * *',
      splayMs: 120_000,
      timeoutMs: 15_000,
    });
  });

  it('reads the token from its file and trusts the system store by default', async () => {
    const { lem } = await load(configWith(REAL, { token: 'lem-token-1\n' }));
    expect(lem?.upstream).toEqual({
      kind: 'lem',
      baseUrl: 'https://lem.example:8446/',
      projectId: 'p1',
      token: 'lem-token-1',
      authStyle: 'basic',
      tls: { kind: 'system' },
    });
  });

  it('reads the token from a systemd credential by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ela-creds-'));
    writeFileSync(join(dir, 'lem-api-token'), 'from-credential');
    const path = configWith('lem: { baseUrl: "https://lem.example/", projectId: p1 }');
    const { lem } = await load(path, { CREDENTIALS_DIRECTORY: dir });
    expect(lem?.upstream).toMatchObject({ token: 'from-credential' });
  });

  it('takes a CA file or a pinned fingerprint for a self-signed LEM', async () => {
    const withCa = await load(
      configWith(`${REAL.slice(0, -2)}, tls: { caFile: ca.pem } }`, { token: 't', 'ca.pem': CA }),
    );
    expect(withCa.lem?.upstream).toMatchObject({ tls: { kind: 'ca', caPem: CA } });
    const pinned = await load(
      configWith(`${REAL.slice(0, -2)}, tls: { sha256Fingerprint: "${FINGERPRINT}" } }`, {
        token: 't',
      }),
    );
    expect(pinned.lem?.upstream).toMatchObject({
      tls: { kind: 'fingerprint', sha256: FINGERPRINT },
    });
  });

  it('refuses a token written in the config itself', async () => {
    const path = configWith(
      'lem: { baseUrl: "https://lem.example/", projectId: p1, token: { value: secret } }',
    );
    expect(await issuesOf(path)).toContain('lem.token.value is not a known key');
  });

  it('refuses plain http, a missing project and two ways of trusting at once', async () => {
    expect(
      await issuesOf(configWith('lem: { baseUrl: "http://lem.example/", projectId: p }')),
    ).toEqual(["lem.baseUrl must be LEM's https URL, or sandbox"]);
    expect(await issuesOf(configWith('lem: { baseUrl: "https://lem.example/" }'))).toEqual([
      "lem.projectId is required when baseUrl names a real LEM: the project's ID in LEM",
    ]);
    const both = configWith(
      `${REAL.slice(0, -2)}, tls: { caFile: ca.pem, insecureSkipVerify: true } }`,
      { token: 't', 'ca.pem': CA },
    );
    expect(await issuesOf(both)).toEqual([
      'lem.tls give one of caFile, sha256Fingerprint or insecureSkipVerify',
    ]);
  });

  it('names a CA file that holds no certificate and a token file that is missing', async () => {
    const path = configWith(`${REAL.slice(0, -2)}, tls: { caFile: ca.pem } }`, {
      'ca.pem': 'not a certificate',
    });
    const issues = await issuesOf(path);
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^lem\.token cannot read .*\/token: ENOENT$/);
    expect(issues[1]).toMatch(/^lem\.tls\.caFile .*ca\.pem holds no PEM certificate$/);
  });

  it('refuses a malformed fingerprint', async () => {
    const path = configWith(`${REAL.slice(0, -2)}, tls: { sha256Fingerprint: "AB:CD" } }`, {
      token: 't',
    });
    expect(await issuesOf(path)).toEqual([
      'lem.tls.sha256Fingerprint must be a SHA-256 fingerprint: 32 hex bytes, AB:CD:… or without colons',
    ]);
  });
});
