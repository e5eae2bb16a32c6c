import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentUrl, getJson, waitReady } from '../e2e/cli-process.js';
import { tempDirs } from '../temp-dirs.js';

const INSTALL_DOC = readFileSync('docs/install.md', 'utf8');
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const newRoot = tempDirs('ela-install-', 'all');

/** The shell block between the install-steps markers: what a person types on the device. */
function documentedSteps(): string {
  const section = /<!-- install-steps[^>]*-->([\s\S]*?)<!-- \/install-steps -->/.exec(INSTALL_DOC);
  const block = /```sh\n([\s\S]*?)```/.exec(section?.[1] ?? '');
  if (block?.[1] === undefined) throw new Error('docs/install.md has no install-steps block');
  return block[1];
}

/**
 * The steps as they would run on a device, under `root` instead of `/`: every absolute path the
 * steps name is moved under it, and `systemctl` (no systemd here) only records what it was asked.
 */
function underRoot(steps: string, root: string, tarball: string): string {
  const moved = steps
    .replaceAll(`edge-license-agent-${version}.tgz`, tarball)
    .replace(/(?<=^|[\s=])\/(opt|usr\/local|etc)\//gm, `${root}/$1/`);
  return `systemctl() { echo "systemctl $*" >> "${root}/systemctl.log"; }\n${moved}`;
}

/** The device's PATH: the installed command first, then node and the usual tools. */
const pathUnder = (root: string): string =>
  `${root}/usr/local/bin:${dirname(process.execPath)}:/usr/bin:/bin`;

/** `npm pack` here, then the documented steps under `root`, as a root shell runs them. */
async function installUnder(): Promise<{ root: string; run: ReturnType<typeof spawnSync> }> {
  const root = await newRoot();
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', root], {
    encoding: 'utf8',
  });
  const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
  expect(filename).toBe(`edge-license-agent-${version}.tgz`);
  const steps = underRoot(documentedSteps(), root, join(root, filename));
  const run = spawnSync('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', steps], {
    encoding: 'utf8',
    env: { PATH: pathUnder(root) },
  });
  return { root, run };
}

describe('installing the packed package on a device, as docs/install.md says', () => {
  it('ends with the command on PATH, the unit, a config that validates, and systemd asked to start it', async () => {
    const { root, run } = await installUnder();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // `edge-license-agent --version` found the installed command on PATH.
    expect(run.stdout).toContain(version);
    expect(run.stdout).toMatch(/valid/i);
    expect(readFileSync(`${root}/systemctl.log`, 'utf8')).toBe(
      'systemctl daemon-reload\nsystemctl enable --now edge-license-agent\n',
    );
    expect(readFileSync(`${root}/etc/systemd/system/edge-license-agent.service`, 'utf8')).toBe(
      readFileSync('systemd/edge-license-agent.service', 'utf8'),
    );
    // Everything the service runs is in the one bundle: no node_modules, no tests on the device.
    const installed = readdirSync(`${root}/opt/edge-license-agent`);
    expect(installed).not.toContain('node_modules');
    expect(installed).not.toContain('test');
    expect(
      existsSync(`${root}/opt/edge-license-agent/config/licensespring-prod-public-key.pem`),
    ).toBe(true);
  });

  it('runs from the installed command with the installed config and answers its API', async () => {
    const root = await newRoot();
    const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', root], {
      encoding: 'utf8',
    });
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    const setup = spawnSync(
      'bash',
      ['-euo', 'pipefail', '-c', underRoot(documentedSteps(), root, join(root, filename))],
      {
        encoding: 'utf8',
        env: { PATH: `${root}/usr/local/bin:${dirname(process.execPath)}:/usr/bin:/bin` },
      },
    );
    expect(setup.status).toBe(0);

    // What systemd would start: the command from PATH, the config under /etc, state of its own.
    const child = spawn(
      'edge-license-agent',
      ['run', '--config', `${root}/etc/edge-license-agent/agent.yaml`],
      {
        env: {
          PATH: `${root}/usr/local/bin:${dirname(process.execPath)}:/usr/bin:/bin`,
          ELA_STATE_DIRECTORY: `${root}/var/lib/edge-license-agent`,
          ELA_HTTP__PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await agentUrl(child, () => output);
      await waitReady(url);
      const status = await getJson(`${url}/v1/status`);
      expect(status.status).toBe(200);
      expect(status.body.upstream.kind).toBe('sandbox');
      expect(status.body.licenses.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
