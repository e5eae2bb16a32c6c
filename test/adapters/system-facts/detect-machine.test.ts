import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeMachine } from '../../../src/app/machine.js';
import { verdictFrom } from '../../../src/adapters/system-facts/detect-machine.js';
import { readVirtualizationFacts } from '../../../src/adapters/system-facts/virtualization-facts.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function fakeRoot(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ela-machine-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('the machine probe', () => {
  it('finds a Docker container from its marks', async () => {
    const root = await fakeRoot({
      '.dockerenv': '',
      'proc/1/cgroup': '0::/system.slice/docker-3f2a.scope\n',
      'proc/cpuinfo': 'processor\t: 0\nflags\t\t: fpu vme hypervisor\n',
    });
    const facts = await readVirtualizationFacts({ root, env: {} });
    expect(facts.containerMarks).toEqual(['/.dockerenv', '/proc/1/cgroup: docker']);
    expect(facts.cpuHypervisor).toBe(true);
  });

  it('reads the DMI names and a CPU without the hypervisor flag', async () => {
    const root = await fakeRoot({
      'sys/class/dmi/id/sys_vendor': 'Dell Inc.\n',
      'sys/class/dmi/id/product_name': 'PowerEdge R640\n',
      'proc/cpuinfo': 'processor\t: 0\nflags\t\t: fpu vme sse\n',
      'proc/1/cgroup': '0::/init.scope\n',
    });
    const facts = await readVirtualizationFacts({ root, env: {} });
    expect(facts.dmi).toEqual({ sysVendor: 'Dell Inc.', productName: 'PowerEdge R640' });
    expect(facts.cpuHypervisor).toBe(false);
    expect(facts.containerMarks).toEqual([]);
  });

  it('takes systemd-nspawn and podman at their word: $container', async () => {
    const root = await fakeRoot({});
    const facts = await readVirtualizationFacts({ root, env: { container: 'podman' } });
    expect(facts.containerMarks).toEqual(['$container=podman']);
  });

  it('gives unknown, with why, for output that is not its JSON', () => {
    expect(verdictFrom('Segmentation fault')).toMatchObject({
      kind: 'unknown',
      basis: ['the probe printed no JSON'],
    });
    expect(verdictFrom('{"virtual":true}')).toMatchObject({
      kind: 'unknown',
      basis: ['the probe printed an unexpected shape'],
    });
  });

  it('runs as a process of its own from the built package and says what it found', async () => {
    const verdict = await probeMachine();
    expect(['physical', 'virtual_machine', 'container']).toContain(verdict.kind);
    expect(verdict.basis.length).toBeGreaterThan(0);
    expect(verdict.overridden).toBe(false);
  });
});
