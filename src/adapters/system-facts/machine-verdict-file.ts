import { join } from 'node:path';
import { z } from 'zod';
import type { MachineVerdict } from '../../domain/machine-verdict.js';
import { writeFileDurably } from '../durable-file/durable-write.js';
import { readRegularFile } from '../durable-file/read-regular-file.js';

export const MACHINE_FILE = 'machine.json';

const saved = z.strictObject({
  kind: z.enum(['physical', 'virtual_machine', 'container']),
  basis: z.array(z.string()).max(32),
});

/**
 * The last detected verdict, kept beside the identity so that a restart decides `prevent_vm`
 * licences at once while the probe runs again after the agent is ready. An unknown verdict is
 * never kept: it is what the agent starts from anyway.
 */
export function machineVerdictFile(stateDirectory: string) {
  const path = join(stateDirectory, MACHINE_FILE);
  return {
    async load(): Promise<MachineVerdict | null> {
      const read = await readRegularFile(path, 16 * 1024);
      if (read.kind !== 'read') return null;
      try {
        const parsed = saved.safeParse(JSON.parse(read.bytes.toString('utf8')));
        return parsed.success
          ? { kind: parsed.data.kind, basis: parsed.data.basis, overridden: false }
          : null;
      } catch {
        return null;
      }
    },
    async save(verdict: MachineVerdict): Promise<void> {
      if (verdict.kind === 'unknown' || verdict.overridden) return;
      const body = JSON.stringify({ kind: verdict.kind, basis: verdict.basis });
      await writeFileDurably(path, `${body}\n`, 0o600);
    },
  };
}
