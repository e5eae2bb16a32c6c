import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { outputMatch, startCli } from './cli-process.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a licence server that rejects the credentials', () => {
  it('is logged naming the settings to check, readable with log.format: pretty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ela-rejected-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sandbox = await startSandbox();
    cleanups.push(() => sandbox.close());
    await writeFile(join(dir, 'sandbox.pem'), sandbox.publicKeyPem);
    const config = join(dir, 'agent.yaml');
    await writeFile(
      config,
      JSON.stringify({
        stateDirectory: join(dir, 'state'),
        licensespring: {
          baseUrl: sandbox.url,
          publicKeyFile: join(dir, 'sandbox.pem'),
          insecure: { allowPlainHttp: true },
          auth: {
            method: 'hmac',
            apiKey: { value: sandbox.credentials.apiKey },
            sharedKey: { value: 'not-the-shared-key' },
          },
        },
        sync: { attempts: 1 },
        http: { host: '127.0.0.1', port: 0 },
        log: { format: 'pretty' },
      }),
    );
    const cli = startCli(['run', '--config', config]);
    cleanups.push(() => cli.stop('SIGKILL'));
    const line = await outputMatch(cli.child, () => cli.output(), /^.*rejected the request.*$/m);
    expect(line[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}upstream: /);
    expect(line[0]).toContain('check licensespring.auth.apiKey and licensespring.auth.sharedKey');
    await outputMatch(cli.child, () => cli.output(), /sync: sync did not finish trigger=boot/);
    expect(cli.output()).not.toContain('not-the-shared-key');
  });
});
