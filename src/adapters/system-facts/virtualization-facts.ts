import { access } from 'node:fs/promises';
import type { VirtualizationFacts } from '../../domain/machine-verdict.js';
import { readTextFile, tryReadText, type ReadText } from './read-text.js';

export interface VirtualizationRoots {
  readonly root?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly readText?: ReadText;
}

const CONTAINER_CGROUP = /\b(docker|containerd|kubepods|libpod|lxc|crio)\b/;

/**
 * The machine's virtualization facts: systeminformation's `system()` plus the marks it does not
 * look at (container files, cgroup paths, `$container`, the CPU's hypervisor flag, DMI names).
 * Runs in the short-lived probe process only (machine-probe-main.ts): systeminformation is large
 * and must not stay in the daemon's memory.
 */
export async function readVirtualizationFacts(
  options: VirtualizationRoots = {},
): Promise<VirtualizationFacts> {
  const root = options.root ?? '';
  const env = options.env ?? process.env;
  const read = options.readText ?? readTextFile;
  const text = async (path: string) => {
    const got = await tryReadText(read, `${root}${path}`);
    return got.kind === 'read' ? got.text.trim() : null;
  };
  const exists = async (path: string) =>
    access(`${root}${path}`).then(
      () => true,
      () => false,
    );
  const [si, sysVendor, productName, cpuinfo, cgroup, dockerenv, containerenv] = await Promise.all([
    systemInformation(),
    text('/sys/class/dmi/id/sys_vendor'),
    text('/sys/class/dmi/id/product_name'),
    text('/proc/cpuinfo'),
    text('/proc/1/cgroup'),
    exists('/.dockerenv'),
    exists('/run/.containerenv'),
  ]);
  const containerMarks: string[] = [];
  if (dockerenv) containerMarks.push('/.dockerenv');
  if (containerenv) containerMarks.push('/run/.containerenv');
  const runtime = cgroup?.match(CONTAINER_CGROUP)?.[1];
  if (runtime !== undefined) containerMarks.push(`/proc/1/cgroup: ${runtime}`);
  const declared = env['container'];
  if (declared !== undefined && declared !== '') containerMarks.push(`$container=${declared}`);
  return {
    systeminformation: si,
    dmi: { sysVendor: sysVendor || null, productName: productName || null },
    cpuHypervisor: cpuinfo === null ? null : /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo),
    containerMarks,
  };
}

async function systemInformation(): Promise<VirtualizationFacts['systeminformation']> {
  try {
    // A CommonJS package: bundled, its functions sit on the default export.
    const loaded = await import('systeminformation');
    const si = (loaded as { default?: typeof loaded }).default ?? loaded;
    const system = await si.system();
    return {
      virtual: system.virtual,
      virtualHost: system.virtualHost ?? null,
      model: system.model === '' ? null : system.model,
    };
  } catch {
    return null;
  }
}
