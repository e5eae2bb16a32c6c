import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { startFaultProxy } from '../faults/fault-proxy.js';
import { separateServerConfigYaml } from './cli-agent-config.js';
import { getJson, outputMatch, startCli, waitReady } from './cli-process.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The licences /v1/status lists, by ID and whether they allow. */
function ids(status: { licenses: { licenseId: number; allowed: boolean }[] }) {
  return status.licenses.map((l) => [l.licenseId, l.allowed]);
}

describe('SIGTERM while a sync waits for the licence server', () => {
  it('ends the wait, finishes the save, exits 0, and leaves a state file the next start loads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ela-stop-sync-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sandbox = await startSandbox();
    cleanups.push(() => sandbox.close());
    const proxy = await startFaultProxy(sandbox.origin);
    cleanups.push(() => proxy.close());
    await writeFile(join(dir, 'sandbox.pem'), sandbox.publicKeyPem);
    const config = join(dir, 'agent.yaml');
    await writeFile(
      config,
      separateServerConfigYaml(
        {
          url: proxy.url,
          publicKeyFile: join(dir, 'sandbox.pem'),
          apiKey: sandbox.credentials.apiKey,
          sharedKey: sandbox.credentials.sharedKey,
        },
        {
          stateDirectory: join(dir, 'state'),
          // Far longer than the test may take: only the stop can end the wait.
          sync: { timeoutSeconds: 300, attempts: 1 },
        },
      ),
    );

    const first = startCli(['run', '--config', config]);
    cleanups.push(() => first.stop('SIGKILL'));
    const url = await first.url();
    await waitReady(url);
    const licences = ids((await getJson(`${url}/v1/status`)).body);
    expect(licences.length).toBeGreaterThan(0);

    await proxy.set({ kind: 'hang' });
    const asked = proxy.requests().length;
    first.child.kill('SIGUSR1');
    for (let waited = 0; proxy.requests().length === asked; waited += 20) {
      if (waited > 10_000)
        throw new Error(`the refresh never reached the server:\n${first.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('"agent stopped"');

    // The server now refuses connections: what the next start knows comes from the file.
    await proxy.set({ kind: 'refuse' });
    const second = startCli(['run', '--config', config]);
    cleanups.push(() => second.stop('SIGKILL'));
    const again = await second.url();
    await waitReady(again);
    const status = (await getJson(`${again}/v1/status`)).body;
    expect(status.stateFile).toBe('restored');
    expect(ids(status)).toEqual(licences);
    await outputMatch(second.child, () => second.output(), /"agent started"/);
  });
});
