import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ela-config-'));
  const path = join(dir, 'agent.yaml');
  writeFileSync(path, text);
  return path;
}

async function failure(text: string, env: NodeJS.ProcessEnv = {}): Promise<ConfigError> {
  try {
    await loadConfig({ path: configFile(text), env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loading the configuration', () => {
  it('the shipped example loads and runs against the sandbox', async () => {
    const config = await loadConfig({ path: 'config/agent.example.yaml', env: {} });
    expect(config.upstream).toEqual({ kind: 'sandbox' });
    expect(config.product).toBeNull();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 7311, token: null, socket: null });
    expect(config.sync.schedule).toBeNull();
    expect(config.sync.cadence).toEqual({
      minIntervalMs: 5 * 60_000,
      maxIntervalMs: 60 * 60_000,
      dailyCallBudget: 250,
    });
  });

  it('keeps a cron schedule the operator chose instead of the adaptive cadence', async () => {
    const config = await loadConfig({
      path: 'config/agent.example.yaml',
      env: { ELA_SYNC__SCHEDULE: '*/30 * * * *' },
    });
    expect(config.sync.schedule).toBe('*/30 * * * *');
  });

  it('refuses a shortest gap longer than the longest', async () => {
    await expect(
      loadConfig({
        path: 'config/agent.example.yaml',
        env: { ELA_SYNC__MIN_INTERVAL_SECONDS: '7200' },
      }),
    ).rejects.toThrow(/sync\.minIntervalSeconds/);
  });

  it('fills a default for every key', async () => {
    const config = await loadConfig({
      path: configFile('licensespring: { product: p, baseUrl: sandbox }'),
      env: {},
    });
    expect(config.sync).toMatchObject({ splayMs: 300_000, timeoutMs: 15_000, attempts: 3 });
    expect(config.stateDirectory).toBe('/var/lib/edge-license-agent');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('the default port lies outside the 9100-9999 exporter range', async () => {
    const config = await loadConfig({
      path: configFile('licensespring: { product: p, baseUrl: sandbox }'),
      env: {},
    });
    expect(config.http.port < 9100 || config.http.port > 9999).toBe(true);
  });

  it('environment variables override the file, and the source is remembered', async () => {
    const config = await loadConfig({
      path: configFile('licensespring: { product: p, baseUrl: sandbox }\nhttp: { port: 8000 }'),
      env: { ELA_HTTP__PORT: '8100', ELA_SYNC__SPLAY_SECONDS: '5' },
    });
    expect(config.http.port).toBe(8100);
    expect(config.sync.splayMs).toBe(5000);
    expect(config.sources.get('http.port')).toBe('env ELA_HTTP__PORT');
  });

  it('a string key given digits from the environment keeps them as text', async () => {
    const config = await loadConfig({
      path: configFile('licensespring: { product: p, baseUrl: sandbox }'),
      env: { ELA_DEVICE__HARDWARE_ID: '0123' },
    });
    expect(config.hardwareIdOverride).toBe('0123');
  });

  it('reads the bearer token and the socket settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ela-token-'));
    writeFileSync(join(dir, 'token'), 's3cret-token\n');
    const path = configFile(
      `licensespring: { baseUrl: sandbox }\nhttp: { host: 0.0.0.0, token: { file: ${join(dir, 'token')} }, socket: { path: agent.sock, mode: '0660', group: '0' } }`,
    );
    const config = await loadConfig({ path, env: {} });
    expect(config.http.token).toBe('s3cret-token');
    expect(config.http.socket).toEqual({
      path: join(path, '..', 'agent.sock'),
      mode: 0o660,
      group: '0',
    });
  });

  it('reads secrets from files and from systemd credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ela-creds-'));
    writeFileSync(join(dir, 'licensespring-api-key'), 'api-key-123\n');
    writeFileSync(join(dir, 'shared'), 'shared-key-456\n');
    const path = configFile(
      [
        'licensespring:',
        '  baseUrl: https://api.example.test/api/v4',
        '  product: p',
        '  publicKeyFile: null',
        '  insecure: { allowUnverifiedAnswers: true }',
        '  auth:',
        '    method: hmac',
        `    sharedKey: { file: ${join(dir, 'shared')} }`,
      ].join('\n'),
    );
    const config = await loadConfig({ path, env: { CREDENTIALS_DIRECTORY: dir } });
    expect(config.upstream).toEqual({
      kind: 'licensespring',
      baseUrl: 'https://api.example.test/api/v4/',
      auth: { method: 'hmac', apiKey: 'api-key-123', sharedKey: 'shared-key-456' },
      publicKeyPem: null,
    });
  });
});

describe('a bad configuration names the key and what is wrong', () => {
  it.each([
    [
      'a port that is text',
      'licensespring: { product: p, baseUrl: sandbox }\nhttp: { port: eighty }',
      /http\.port: expected number/,
    ],
    [
      'a port out of range',
      'licensespring: { product: p, baseUrl: sandbox }\nhttp: { port: 70000 }',
      /http\.port: .*65535/,
    ],
    [
      'a misspelt key',
      'licensespring: { product: p, baseUrl: sandbox }\nsync: { splaySecond: 5 }',
      /sync\.splaySecond: is not a known key/,
    ],
    [
      'a product that is a number',
      'licensespring: { product: 5 }',
      /licensespring\.product: expected string/,
    ],
    [
      'a bad cron schedule',
      "licensespring: { product: p, baseUrl: sandbox }\nsync: { schedule: 'every day' }",
      /sync\.schedule: is not a valid cron expression/,
    ],
    [
      'a real server without credentials',
      'licensespring: { product: p, baseUrl: "https://x.test/" }',
      /licensespring\.auth: is required/,
    ],
    [
      'a log level that does not exist',
      'licensespring: { product: p, baseUrl: sandbox }\nlog: { level: loud }',
      /log\.level/,
    ],
  ])('%s', async (_fact, text, pattern) => {
    const error = await failure(text);
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toContain('\n');
  });

  it('an environment override names its variable', async () => {
    const error = await failure('licensespring: { product: p, baseUrl: sandbox }', {
      ELA_HTTP__PORT: 'x',
    });
    expect(error.message).toMatch(/http\.port: .*\(from env ELA_HTTP__PORT\)/);
  });

  it('every invalid key is reported at once', async () => {
    const error = await failure(
      'licensespring: { product: p, baseUrl: sandbox }\nhttp: { port: -1, host: 3 }',
    );
    expect(error.issues.map((i) => i.key).sort()).toEqual(['http.host', 'http.port']);
  });

  it('a config that names no licence server is refused, naming the key and the sandbox', async () => {
    const error = await failure('licensespring: { product: p }');
    expect(error.issues.map((i) => i.key)).toEqual(['licensespring.baseUrl']);
    expect(error.message).toMatch(/licensespring\.baseUrl: is required: .*, or sandbox/);
  });

  it('an empty config file is refused the same way, not run against the sandbox', async () => {
    const error = await failure('');
    expect(error.issues.map((i) => i.key)).toEqual(['licensespring.baseUrl']);
  });

  it('a baseUrl that is neither a URL nor sandbox is refused', async () => {
    const error = await failure('licensespring: { baseUrl: sandbx }');
    expect(error.message).toMatch(
      /licensespring\.baseUrl: must be the License API's http\(s\) URL, or sandbox/,
    );
  });

  it('a listener beyond loopback without a token is refused', async () => {
    const error = await failure('licensespring: { baseUrl: sandbox }\nhttp: { host: 0.0.0.0 }');
    expect(error.message).toMatch(
      /http\.token: is required when http\.host \(0\.0\.0\.0\) is not a loopback address/,
    );
  });

  it.each(['127.0.0.1', '127.1.2.3', '::1', 'localhost'])('%s needs no token', async (host) => {
    const config = await loadConfig({
      path: configFile(`licensespring: { baseUrl: sandbox }\nhttp: { host: "${host}" }`),
      env: {},
    });
    expect(config.http.token).toBeNull();
  });

  it('a socket mode that is not octal names the key', async () => {
    const error = await failure('http: { socket: { path: /run/x.sock, mode: "rw-rw----" } }');
    expect(error.message).toMatch(/http\.socket\.mode: must be an octal file mode/);
  });

  it('a missing secret says where it was looked for', async () => {
    const error = await failure(
      'licensespring: { product: p, baseUrl: "https://x.test/", auth: { method: hmac, sharedKey: { file: /nonexistent/key } } }',
    );
    expect(error.message).toMatch(/licensespring\.auth\.apiKey: is not set/);
    expect(error.message).toMatch(
      /licensespring\.auth\.sharedKey: cannot read \/nonexistent\/key: ENOENT/,
    );
  });

  it('YAML that does not parse is a syntax error with its line', async () => {
    const error = await failure('licensespring:\n  product: [unclosed');
    expect(error.code).toBe('config_syntax');
    expect(error.message).toMatch(/not valid YAML at line/);
  });

  it('a file that does not exist is unreadable', async () => {
    await expect(loadConfig({ path: '/nonexistent/agent.yaml', env: {} })).rejects.toMatchObject({
      code: 'config_unreadable',
    });
  });
});

describe('trust settings are safe unless loosened on purpose', () => {
  const credentials = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ela-creds-'));
    writeFileSync(join(dir, 'licensespring-api-key'), 'api-key-123\n');
    writeFileSync(join(dir, 'licensespring-shared-key'), 'shared-key-456\n');
    writeFileSync(join(dir, 'licensespring-client-secret'), 'client-secret-789\n');
    return { CREDENTIALS_DIRECTORY: dir };
  };
  const real = (extra: string) =>
    `licensespring: { baseUrl: "https://api.example.test/api/v4/", auth: { method: hmac }${extra} }`;

  it('names the sandbox only when asked: baseUrl sandbox', async () => {
    const config = await loadConfig({
      path: configFile('licensespring: { baseUrl: sandbox }'),
      env: {},
    });
    expect(config.upstream).toEqual({ kind: 'sandbox' });
  });

  it('verifies answers with the vendor key shipped with the agent when publicKeyFile is not given', async () => {
    const config = await loadConfig({ path: configFile(real('')), env: credentials() });
    const shipped = readFileSync('config/licensespring-prod-public-key.pem', 'utf8');
    expect(config.upstream).toMatchObject({ kind: 'licensespring', publicKeyPem: shipped });
  });

  it('refuses publicKeyFile: null unless unverified answers are allowed by name', async () => {
    const error = await failure(real(', publicKeyFile: null'), credentials());
    expect(error.issues.map((i) => i.key)).toEqual(['licensespring.publicKeyFile']);
    expect(error.message).toMatch(/licensespring\.insecure\.allowUnverifiedAnswers: true/);
    const allowed = await loadConfig({
      path: configFile(real(', publicKeyFile: null, insecure: { allowUnverifiedAnswers: true }')),
      env: credentials(),
    });
    expect(allowed.upstream).toMatchObject({ kind: 'licensespring', publicKeyPem: null });
  });

  it('refuses a plain http licence server unless plain http is allowed by name', async () => {
    const plain =
      'licensespring: { baseUrl: "http://licences.example.test/api/v4/", auth: { method: hmac }';
    const error = await failure(`${plain} }`, credentials());
    expect(error.issues.map((i) => i.key)).toEqual(['licensespring.baseUrl']);
    expect(error.message).toMatch(/is plain http: .*licensespring\.insecure\.allowPlainHttp: true/);
    const allowed = await loadConfig({
      path: configFile(`${plain}, insecure: { allowPlainHttp: true } }`),
      env: credentials(),
    });
    expect(allowed.upstream).toMatchObject({ baseUrl: 'http://licences.example.test/api/v4/' });
  });

  it('refuses a plain http OAuth token URL the same way', async () => {
    const error = await failure(
      'licensespring: { baseUrl: "https://api.example.test/api/v4/", auth: { method: oauth, clientId: c, tokenUrl: "http://auth.example.test/token" } }',
      credentials(),
    );
    expect(error.issues.map((i) => i.key)).toEqual(['licensespring.auth.tokenUrl']);
  });
});
