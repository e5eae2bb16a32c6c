import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_ACTIVATION_KEY } from '../../src/adapters/sandbox/activatable-licenses.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { writeSeparateServerConfig } from './cli-agent-config.js';
import { CLI, startCli, waitReady } from './cli-process.js';

const HWID = 'deactivate-e2e-device';
const run = promisify(execFile);

/** The built CLI, without blocking this process: the sandbox it talks to runs here. */
async function cli(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function activatedDevice(): Promise<{ sandbox: Sandbox; config: string; keyFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ela-deactivate-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const sandbox = await startSandbox();
  cleanups.push(() => sandbox.close());
  const keyFile = join(dir, 'activation.key');
  await writeFile(keyFile, `${SANDBOX_ACTIVATION_KEY}\n`);
  const config = await writeSeparateServerConfig(dir, sandbox, {
    stateDirectory: join(dir, 'state'),
    device: { hardwareId: HWID, machine: 'physical' },
    licensespring: { activate: [{ product: 'edge-suite', key: { file: keyFile } }] },
  });
  const agent = startCli(['run', '--config', config]);
  cleanups.push(() => agent.stop('SIGKILL'));
  await waitReady(await agent.url());
  for (let i = 0; i < 100 && sandbox.activations(SANDBOX_ACTIVATION_KEY) === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await agent.stop();
  return { sandbox, config, keyFile };
}

describe('edge-license-agent deactivate, as built', () => {
  it('gives the activation back and says which, so the sandbox count drops', async () => {
    const { sandbox, config, keyFile } = await activatedDevice();
    expect(sandbox.activations(SANDBOX_ACTIVATION_KEY)).toBe(1);
    const { code, stdout } = await cli([
      'deactivate',
      '--config',
      config,
      '--key-from',
      keyFile,
      '--yes',
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe('gave back   edge-suite licence 1700000000000104 key …0003\n');
    expect(sandbox.activations(SANDBOX_ACTIVATION_KEY)).toBe(0);
    expect(stdout).not.toContain(SANDBOX_ACTIVATION_KEY);
  });

  it('gives nothing back off a terminal without --yes, and says how', async () => {
    const { sandbox, config, keyFile } = await activatedDevice();
    const { code, stderr } = await cli(['deactivate', '--config', config, '--key-from', keyFile]);
    expect(code).toBe(64);
    expect(stderr).toContain('add --yes');
    expect(sandbox.activations(SANDBOX_ACTIVATION_KEY)).toBe(1);
    expect(sandbox.requests().filter((r) => r.path.endsWith('/deactivate_license'))).toEqual([]);
  });

  it('needs --key-from or --all', async () => {
    const { code, stderr } = await cli(['deactivate', '--yes']);
    expect(code).toBe(64);
    expect(stderr).toContain('give --key-from FILE or --all');
  });
});
