import { join } from 'node:path';
import { attempt, type ComponentRead, type Interpretation } from './component-read.js';
import type { ReadText } from './read-text.js';

/**
 * /etc/machine-id is world-readable, so a hardened service can always read it. It is copied with
 * the disk, which is why it is never the only component that decides.
 */
export async function readMachineId(etcRoot: string, read: ReadText): Promise<ComponentRead> {
  const result = await attempt(read, join(etcRoot, 'machine-id'), interpretMachineId);
  return { value: result.value, attempts: [result.attempt] };
}

export function interpretMachineId(text: string): Interpretation {
  const id = text.trim().toLowerCase();
  // systemd writes `uninitialized` until the first boot completes (machine-id(5)).
  if (id === '' || id === 'uninitialized') return { kind: 'placeholder', detail: id || 'empty' };
  if (!/^[0-9a-f]{32}$/.test(id)) return { kind: 'malformed', detail: 'not 32 hex digits' };
  if (/^0+$/.test(id)) return { kind: 'placeholder', detail: 'all zeros' };
  return { kind: 'value', value: id };
}
