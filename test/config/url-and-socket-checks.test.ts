import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ela-config-checks-'));
  const path = join(dir, 'agent.yaml');
  writeFileSync(path, text);
  writeFileSync(join(dir, 'secret'), 's3cret\n');
  return path;
}

async function failure(text: string): Promise<ConfigError> {
  try {
    await loadConfig({ path: configFile(text), env: {} });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

const hmac = 'auth: { method: hmac, apiKey: { file: secret }, sharedKey: { file: secret } }';
const oauth = (tokenUrl: string) =>
  `auth: { method: oauth, clientId: c, clientSecret: { file: secret }, tokenUrl: "${tokenUrl}" }`;

describe('URLs in the configuration', () => {
  it('refuses a user name and password in licensespring.baseUrl, without repeating them', async () => {
    const error = await failure(
      `licensespring: { baseUrl: "https://alice:hunter2@api.licensespring.com/api/v4/", ${hmac} }`,
    );
    expect(error.issues).toContainEqual(
      expect.objectContaining({
        key: 'licensespring.baseUrl',
        message: expect.stringMatching(
          /must not carry a user name or password.*secrets go in files/,
        ),
      }),
    );
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('alice');
  });

  it('refuses a user name alone in licensespring.auth.tokenUrl', async () => {
    const error = await failure(
      `licensespring: { baseUrl: "https://api.licensespring.com/api/v4/", ${oauth('https://client@auth.example/token')} }`,
    );
    expect(error.issues.map((i) => i.key)).toEqual(['licensespring.auth.tokenUrl']);
    expect(error.message).not.toContain('client@');
  });

  it('accepts URLs without userinfo', async () => {
    const config = await loadConfig({
      path: configFile(
        `licensespring: { baseUrl: "https://api.licensespring.com/api/v4/", ${oauth('https://auth.example/token')} }`,
      ),
      env: {},
    });
    expect(config.upstream).toMatchObject({ kind: 'licensespring' });
  });
});

describe('http.socket in the configuration', () => {
  it('refuses a socket whose directory does not exist, naming the key and the directory', async () => {
    const error = await failure(
      'licensespring: { baseUrl: sandbox }\nhttp: { socket: { path: /nonexistent-ela/agent.sock } }',
    );
    expect(error.issues).toEqual([
      {
        key: 'http.socket.path',
        message: "/nonexistent-ela (the socket's directory) does not exist",
        source: expect.stringMatching(/^file /),
      },
    ]);
  });

  it('refuses a socket whose directory is a file', async () => {
    const path = configFile('');
    const error = await failure(
      `licensespring: { baseUrl: sandbox }\nhttp: { socket: { path: "${path}/agent.sock" } }`,
    );
    expect(error.issues).toEqual([
      expect.objectContaining({
        key: 'http.socket.path',
        message: `${path} (the socket's directory) is not a directory`,
      }),
    ]);
  });

  it('refuses a socket group this machine does not have', async () => {
    const error = await failure(
      'licensespring: { baseUrl: sandbox }\nhttp: { socket: { path: agent.sock, group: no-such-group-ela } }',
    );
    expect(error.issues).toEqual([
      expect.objectContaining({
        key: 'http.socket.group',
        message: 'no group no-such-group-ela on this machine (in /etc/group)',
      }),
    ]);
  });

  it('accepts an existing directory and a group of this machine, by name or number', async () => {
    for (const group of ['root', '12345']) {
      const config = await loadConfig({
        path: configFile(
          `licensespring: { baseUrl: sandbox }\nhttp: { socket: { path: agent.sock, group: "${group}" } }`,
        ),
        env: {},
      });
      expect(config.http.socket?.group).toBe(group);
    }
  });
});
