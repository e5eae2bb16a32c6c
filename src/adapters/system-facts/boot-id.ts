import type { BootFacts } from '../../agent/state-ports.js';
import { readTextFile, tryReadText, type ReadText } from './read-text.js';

export const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The kernel's boot ID, new on every boot. Absent outside Linux, and hidden from a unit with
 * ProcSubset=pid; then null, and a restart falls back to the saved time as a floor.
 */
export function createBootFacts(read: ReadText = readTextFile, path = BOOT_ID_PATH): BootFacts {
  return {
    async bootId() {
      const found = await tryReadText(read, path);
      if (found.kind === 'missing') return null;
      const id = found.text.trim().toLowerCase();
      return UUID.test(id) ? id : null;
    },
  };
}
