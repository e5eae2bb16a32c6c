import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../temp-dirs.js';
import { CLI, getJson, startCli, waitReady, type RunningCli } from './cli-process.js';

/** The script the docs show verbatim (docs/applications.md), run as an operator would. */
const SCRIPT = fileURLToPath(new URL('../../docs/examples/gate-feature.sh', import.meta.url));
const DOC = fileURLToPath(new URL('../../docs/applications.md', import.meta.url));

const tempDir = tempDirs('ela-gate-', 'all');
let agent: RunningCli | undefined;
let base = '';
let allowed = '';
let denied = '';

beforeAll(async () => {
  // What `npm start` runs, on a free port and a throw-away state directory.
  agent = startCli(['run', '--config', 'config/agent.example.yaml'], {
    ELA_HTTP__PORT: '0',
    ELA_STATE_DIRECTORY: await tempDir(),
  });
  base = await agent.url();
  await waitReady(base);
  const { body } = await getJson(`${base}/v1/features`);
  const features = body.features as { code: string; allowed: boolean }[];
  allowed = features.find((f) => f.allowed)?.code ?? '';
  denied = features.find((f) => !f.allowed)?.code ?? '';
});

afterAll(async () => {
  await agent?.stop();
});

function gate(url: string, feature: string) {
  const result = spawnSync('sh', [SCRIPT, feature, 'sh', '-c', 'echo ran'], {
    env: { PATH: process.env['PATH'], ELA_CLI: `${process.execPath} ${CLI}`, ELA_URL: url },
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A loopback port nothing listens on: taken from the OS, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('docs/examples/gate-feature.sh against a running agent', () => {
  it('runs the command when the feature is allowed', () => {
    expect(allowed, 'the sandbox allows at least one feature').not.toBe('');
    const run = gate(base, allowed);
    expect(run.stdout).toBe('ran\n');
    expect(run.code).toBe(0);
  });

  it('exits 1 with a message, and runs nothing, when the feature is denied', () => {
    expect(denied, 'the sandbox denies at least one feature').not.toBe('');
    const run = gate(base, denied);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${denied} is not licensed on this device`);
    expect(run.stdout).not.toContain('ran');
  });

  it('exits 2, and runs nothing, when no agent listens', async () => {
    const run = gate(`http://127.0.0.1:${String(await closedPort())}`, allowed);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot ask the licence agent');
    expect(run.stdout).not.toContain('ran');
  });

  it('is the script the docs show, byte for byte', () => {
    const script = readFileSync(SCRIPT, 'utf8');
    expect(readFileSync(DOC, 'utf8')).toContain(`\`\`\`sh\n${script}\`\`\``);
  });
});
