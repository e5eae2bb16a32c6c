import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_API_KEY,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_SHARED_KEY,
} from '../../src/adapters/sandbox/credentials.js';
import { sandboxLicenses } from '../../src/adapters/sandbox/fixture-licenses.js';
import { getJson, startCli, waitReady, type RunningCli } from './cli-process.js';

const stateDirectory = mkdtempSync(join(tmpdir(), 'ela-at-rest-'));
let agent: RunningCli | undefined;

afterAll(async () => {
  await agent?.stop();
  await rm(stateDirectory, { recursive: true, force: true });
});

/** Every licence key the sandbox hands out: the keys do not depend on the instant given. */
const licenceKeys = sandboxLicenses(0).flatMap((licence) =>
  'license_key' in licence ? [licence.license_key] : [],
);
const secrets: readonly string[] = [
  ...licenceKeys,
  SANDBOX_API_KEY,
  SANDBOX_SHARED_KEY,
  SANDBOX_CLIENT_SECRET,
];

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Polls the status until a sync has finished and its state is on disk. */
async function firstSyncSaved(base: string): Promise<void> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const { body } = await getJson(`${base}/v1/status`);
    if (body.sync.last !== null && existsSync(join(stateDirectory, 'state.json'))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no state saved after the first sync:\n${agent?.output() ?? ''}`);
}

describe('secrets at rest', () => {
  it('leaves no licence key and no credential in any file of the state directory', async () => {
    // Both lists come from the sandbox itself: an empty one would make this test pass vacuously.
    expect(licenceKeys.length).toBeGreaterThanOrEqual(2);
    agent = startCli(['run', '--config', 'config/agent.example.yaml'], {
      ELA_HTTP__PORT: '0',
      ELA_STATE_DIRECTORY: stateDirectory,
    });
    const base = await agent.url();
    await waitReady(base);
    await firstSyncSaved(base);
    expect(await agent.stop()).toBe(0);

    const files = await filesUnder(stateDirectory);
    expect(files).toContain(join(stateDirectory, 'state.json'));
    const found: string[] = [];
    for (const file of files) {
      const bytes = await readFile(file);
      for (const secret of secrets) {
        if (bytes.includes(Buffer.from(secret, 'utf8'))) found.push(`${secret} in ${file}`);
      }
    }
    expect(found).toEqual([]);
  }, 30_000);
});
