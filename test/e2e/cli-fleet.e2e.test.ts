import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { tempDirs } from '../temp-dirs.js';
import { CLI, startCli } from './cli-process.js';

const EXAMPLE_CONFIG = fileURLToPath(new URL('../../config/agent.example.yaml', import.meta.url));
const tempDir = tempDirs('ela-fleet-e2e-');

/** The built CLI to completion, asynchronously: the test's own sandbox must keep answering. */
function fleet(args: readonly string[], env: NodeJS.ProcessEnv = {}, command = 'licenses') {
  const child = spawn(process.execPath, [CLI, 'fleet', command, ...args], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('edge-license-agent fleet licenses, as built', () => {
  it('lists the sandbox inventory with the example config and no account', async () => {
    const state = await tempDir();
    const { code, stdout } = await fleet(['--config', EXAMPLE_CONFIG, '--json'], {
      ELA_STATE_DIRECTORY: state,
    });
    expect(code).toBe(0);
    const ids = stdout
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: number }).id);
    expect(ids.length).toBe(303);
    expect(new Set(ids).size).toBe(303);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  describe('against a Management API that rate-limits', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox();
    });
    afterAll(async () => {
      await sandbox.close();
    });

    async function config(): Promise<string> {
      const dir = await tempDir();
      await writeFile(join(dir, 'key'), sandbox.credentials.managementApiKey);
      const file = join(dir, 'agent.yaml');
      await writeFile(
        file,
        [
          `stateDirectory: ${join(dir, 'state')}`,
          'licensespring:',
          '  baseUrl: sandbox',
          '  insecure: { allowPlainHttp: true }',
          '  management:',
          `    baseUrl: ${sandbox.managementUrl}`,
          '    apiKey: { file: key }',
          '    maxRetryAfterSeconds: 5',
        ].join('\n'),
      );
      return file;
    }

    it("waits out a 429's Retry-After and lists everything", async () => {
      sandbox.management.throttle(1, 1);
      const { code, stdout, stderr } = await fleet(['--config', await config(), '--csv']);
      expect(code).toBe(0);
      expect(stderr).toContain('rate limited (429): waiting 1 s');
      expect(stdout.trimEnd().split('\r\n')).toHaveLength(1 + sandbox.management.size);
    });

    it('stops with a clear message when Retry-After passes the configured bound', async () => {
      sandbox.management.throttle(1, 3600);
      const { code, stdout, stderr } = await fleet(['--config', await config(), '--json']);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Retry-After 3600 s');
      expect(stderr).toContain('licensespring.management.maxRetryAfterSeconds (5 s)');
      expect(stderr).not.toContain(sandbox.credentials.managementApiKey);
    });
  });
});

describe('edge-license-agent fleet compare, as built', () => {
  it("finds the running sandbox agent's licences where the Management API imitation lists them", async () => {
    const state = await tempDir();
    const env = { ELA_STATE_DIRECTORY: state, ELA_HTTP__PORT: '0' };
    // The Management API imitation does not follow the License API sandbox's activations: the
    // example's activated demo licence would show as the agent's alone.
    const config = join(state, 'agent.yaml');
    const example = await readFile(EXAMPLE_CONFIG, 'utf8');
    await writeFile(
      config,
      example
        .replace(/\n {2}activate:\n( {4}.*\n)+/, '\n')
        .replace(/^stateDirectory: .*$/m, `stateDirectory: ${state}`),
    );
    expect(await readFile(config, 'utf8')).not.toContain('activate:');
    const agent = startCli(['run', '--config', config], env);
    try {
      const url = await agent.url();
      const { code, stdout } = await fleet(
        ['--config', config, '--url', url, '--json'],
        env,
        'compare',
      );
      expect(code).toBe(0);
      const answer = JSON.parse(stdout) as {
        agree: boolean;
        licenses: { licenseId: number; verdict: string }[];
      };
      expect(answer.agree).toBe(true);
      expect(answer.licenses.map((l) => [l.licenseId, l.verdict])).toEqual([
        [1_700_000_000_000_101, 'agree'],
        [1_700_000_000_000_102, 'agree'],
        [1_700_000_000_000_103, 'agree'],
      ]);
    } finally {
      await agent.stop();
    }
  });
});
