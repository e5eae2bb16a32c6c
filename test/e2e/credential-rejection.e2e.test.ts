import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { writeSeparateServerConfig } from './cli-agent-config.js';
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
    const config = await writeSeparateServerConfig(
      dir,
      sandbox,
      {
        stateDirectory: join(dir, 'state'),
        sync: { attempts: 1 },
        log: { format: 'pretty' },
      },
      'not-the-shared-key',
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
