import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseConnection, DEFAULT_AGENT_URL } from '../../src/cli/connection.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { tempDirs } from '../temp-dirs.js';

const tempDir = tempDirs('ela-cli-connection-');

async function tokenIn(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function chosen(values: Parameters<typeof chooseConnection>[0], env: NodeJS.ProcessEnv) {
  const choice = await chooseConnection(values, env);
  if (choice.kind !== 'connection') throw new Error(`expected a connection: ${choice.problem}`);
  return choice.connection;
}

describe('where the CLI asks', () => {
  it('is the default address when nothing names one', async () => {
    const c = await chosen({}, {});
    expect(c.target).toBe(DEFAULT_AGENT_URL);
    expect(c.client.url).toBe(DEFAULT_AGENT_URL);
    expect(c.client.socketPath).toBeUndefined();
  });

  it('is $ELA_URL, unless --url says otherwise', async () => {
    expect((await chosen({}, { ELA_URL: 'http://127.0.0.1:9000' })).target).toBe(
      'http://127.0.0.1:9000',
    );
    expect(
      (await chosen({ url: 'http://[::1]:9001/' }, { ELA_URL: 'http://127.0.0.1:9000' })).target,
    ).toBe('http://[::1]:9001');
  });

  it('is --socket, then $ELA_SOCKET, over any URL from the environment', async () => {
    const env = { ELA_URL: 'http://127.0.0.1:9000', ELA_SOCKET: '/run/env.sock' };
    expect((await chosen({}, env)).client.socketPath).toBe('/run/env.sock');
    const flag = await chosen({ socket: '/run/flag.sock' }, env);
    expect(flag.client.socketPath).toBe('/run/flag.sock');
    expect(flag.target).toBe('unix:/run/flag.sock');
  });

  it('is --url over $ELA_SOCKET: a flag beats the environment', async () => {
    const c = await chosen({ url: 'http://127.0.0.1:9002' }, { ELA_SOCKET: '/run/env.sock' });
    expect(c.client.socketPath).toBeUndefined();
    expect(c.target).toBe('http://127.0.0.1:9002');
  });

  it('refuses --url and --socket together, and a URL that is not http(s)', async () => {
    expect(await chooseConnection({ url: 'http://x', socket: '/s' }, {})).toMatchObject({
      kind: 'wrong',
      exit: EXIT.usage,
      problem: 'give --url or --socket, not both',
    });
    expect(await chooseConnection({ url: 'ftp://x' }, {})).toMatchObject({ exit: EXIT.usage });
    expect(await chooseConnection({}, { ELA_URL: 'nonsense' })).toMatchObject({
      exit: EXIT.config,
      problem: '$ELA_URL is not an http(s) URL: nonsense',
    });
  });
});

describe('the bearer token', () => {
  it('is read from --token-file, trimmed of its newline', async () => {
    const dir = await tempDir();
    const file = await tokenIn(dir, 'token', 's3cret\n');
    const c = await chosen({ 'token-file': file }, {});
    expect(c.client.token).toBe('s3cret');
    expect(c.tokenFile).toBe(file);
  });

  it('is read from $ELA_TOKEN_FILE when no flag names a file, and the flag wins', async () => {
    const dir = await tempDir();
    const fromEnv = await tokenIn(dir, 'env-token', 'from-env');
    const fromFlag = await tokenIn(dir, 'flag-token', 'from-flag');
    expect((await chosen({}, { ELA_TOKEN_FILE: fromEnv })).client.token).toBe('from-env');
    expect(
      (await chosen({ 'token-file': fromFlag }, { ELA_TOKEN_FILE: fromEnv })).client.token,
    ).toBe('from-flag');
  });

  it('is the systemd credential local-api-token when it exists and nothing else is named', async () => {
    const credentials = await tempDir();
    await tokenIn(credentials, 'local-api-token', 'from-systemd');
    expect((await chosen({}, { CREDENTIALS_DIRECTORY: credentials })).client.token).toBe(
      'from-systemd',
    );
    const empty = await tempDir();
    expect((await chosen({}, { CREDENTIALS_DIRECTORY: empty })).client.token).toBeUndefined();
  });

  it('is never taken from an environment variable holding the token itself', async () => {
    const c = await chosen({}, { ELA_TOKEN: 'leaked', ELA_HTTP__TOKEN: 'leaked' });
    expect(c.client.token).toBeUndefined();
  });

  it('is a configuration error, naming the file, when the file is missing or empty', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'absent');
    expect(await chooseConnection({ 'token-file': missing }, {})).toEqual({
      kind: 'wrong',
      exit: EXIT.config,
      problem: `cannot read the token file ${missing}: ENOENT`,
    });
    const blank = await tokenIn(dir, 'blank', ' \n');
    expect(await chooseConnection({}, { ELA_TOKEN_FILE: blank })).toMatchObject({
      exit: EXIT.config,
      problem: `the token file ${blank} is empty`,
    });
    await mkdir(join(dir, 'a-directory'));
    expect(await chooseConnection({ 'token-file': join(dir, 'a-directory') }, {})).toMatchObject({
      exit: EXIT.config,
    });
  });
});

describe('finding the agent from its config file', () => {
  async function configIn(dir: string, http: string): Promise<string> {
    const path = join(dir, 'agent.yaml');
    await writeFile(path, `licensespring: { baseUrl: sandbox }\nhttp: ${http}\n`);
    return path;
  }

  it('asks the socket the config names, relative to the file', async () => {
    const dir = await tempDir();
    const config = await configIn(dir, '{ port: 7400, socket: { path: run/agent.sock } }');
    const c = await chosen({ config }, {});
    expect(c.client.socketPath).toBe(join(dir, 'run/agent.sock'));
  });

  it('asks host and port, a wildcard host on loopback, the port as ELA_HTTP__PORT overrides it', async () => {
    const dir = await tempDir();
    const config = await configIn(dir, '{ host: 0.0.0.0, port: 7400, token: { file: token } }');
    await tokenIn(dir, 'token', 'tok-from-config\n');
    const c = await chosen({ config }, { ELA_HTTP__PORT: '7411' });
    expect(c.target).toBe('http://127.0.0.1:7411');
    expect(c.client.token).toBe('tok-from-config');
    expect(c.tokenFile).toBe(join(dir, 'token'));
  });

  it('reads the token from the credential the config names, where systemd put it', async () => {
    const dir = await tempDir();
    const config = await configIn(dir, '{ token: { credential: local-api-token } }');
    await tokenIn(dir, 'local-api-token', 'tok-from-credential');
    const c = await chosen({ config }, { CREDENTIALS_DIRECTORY: dir });
    expect(c.client.token).toBe('tok-from-credential');
  });

  it('is $ELA_CONFIG after $ELA_SOCKET and $ELA_URL, and --config before them', async () => {
    const dir = await tempDir();
    const config = await configIn(dir, '{ port: 7401 }');
    expect((await chosen({}, { ELA_CONFIG: config })).target).toBe('http://127.0.0.1:7401');
    const env = { ELA_CONFIG: config, ELA_URL: 'http://127.0.0.1:9000' };
    expect((await chosen({}, env)).target).toBe('http://127.0.0.1:9000');
    expect((await chosen({ config }, env)).target).toBe('http://127.0.0.1:7401');
    expect((await chosen({ url: 'http://127.0.0.1:9002', config }, {})).target).toBe(
      'http://127.0.0.1:9002',
    );
  });

  it('needs nothing else from the config: the licence server credentials may be missing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'agent.yaml');
    await writeFile(
      path,
      'licensespring: { baseUrl: "https://api.example/" }\nhttp: { port: 7402 }\n',
    );
    expect((await chosen({ config: path }, {})).target).toBe('http://127.0.0.1:7402');
  });

  it('names the config and the key when the http section is wrong or the file is missing', async () => {
    const dir = await tempDir();
    const config = await configIn(dir, '{ port: seventy }');
    const wrongPort = await chooseConnection({ config }, {});
    expect(wrongPort).toMatchObject({ kind: 'wrong', exit: EXIT.config });
    expect(wrongPort.kind === 'wrong' ? wrongPort.problem : '').toMatch(/agent\.yaml: http\.port /);
    const missing = await chooseConnection({ config: join(dir, 'nope.yaml') }, {});
    expect(missing).toMatchObject({ kind: 'wrong', exit: EXIT.config });
  });
});
