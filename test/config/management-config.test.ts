import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { readManagementApiKey } from '../../src/config/resolve-management.js';
import { tempDirs } from '../temp-dirs.js';

const tempDir = tempDirs('ela-management-config-');
const REAL_LICENSE_API = [
  'licensespring:',
  '  baseUrl: https://api.licensespring.com/api/v4/',
  '  auth: { method: hmac, apiKey: { value: a }, sharedKey: { value: s } }',
];

async function load(lines: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const dir = await tempDir();
  await writeFile(join(dir, 'key'), 'management-key-from-file\n');
  const path = join(dir, 'agent.yaml');
  await writeFile(path, lines.join('\n'));
  return loadConfig({ path, env });
}

describe('the licensespring.management section', () => {
  it("is the sandbox's imitation when the License API is the sandbox and nothing else is said", async () => {
    const config = await load(['licensespring: { baseUrl: sandbox }']);
    expect(config.management.upstream).toEqual({ kind: 'sandbox' });
  });

  it("is the vendor's Management API by default with a real License API, its key left unread", async () => {
    // No credential directory: `run` must still load a config whose management key is absent.
    const config = await load(REAL_LICENSE_API);
    expect(config.management.upstream).toMatchObject({
      kind: 'management',
      baseUrl: 'https://saas.licensespring.com/',
      apiKey: { credential: 'licensespring-management-api-key' },
    });
  });

  it('reads the key from a file relative to the config, for a fleet command only', async () => {
    const config = await load([...REAL_LICENSE_API, '  management: { apiKey: { file: key } }']);
    if (config.management.upstream.kind !== 'management') throw new Error('not the vendor');
    const read = await readManagementApiKey(config.management.upstream, {}, config.sources);
    expect(read).toEqual({ kind: 'key', apiKey: 'management-key-from-file' });
  });

  it('names licensespring.management.apiKey when the credential is missing', async () => {
    const config = await load(REAL_LICENSE_API);
    if (config.management.upstream.kind !== 'management') throw new Error('not the vendor');
    const read = await readManagementApiKey(config.management.upstream, {}, config.sources);
    expect(read.kind === 'unreadable' && read.issues[0]?.key).toBe(
      'licensespring.management.apiKey',
    );
  });

  it('refuses a plain http Management API unless allowPlainHttp is on', async () => {
    const lines = [...REAL_LICENSE_API, '  management: { baseUrl: "http://10.0.0.5:8000" }'];
    const refused = await load(lines).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).issues.map((i) => i.key)).toEqual([
      'licensespring.management.baseUrl',
    ]);
    const allowed = await load([...lines, '  insecure: { allowPlainHttp: true }']);
    expect(allowed.management.upstream).toMatchObject({ baseUrl: 'http://10.0.0.5:8000/' });
  });

  it('takes its URL from the environment like every key', async () => {
    const config = await load(['licensespring: { baseUrl: sandbox }'], {
      ELA_LICENSESPRING__MANAGEMENT__BASE_URL: 'https://licensing.example.com',
    });
    expect(config.management.upstream).toMatchObject({ baseUrl: 'https://licensing.example.com/' });
  });
});
