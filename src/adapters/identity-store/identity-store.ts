import { join } from 'node:path';
import type { IdentityLoad, IdentityStore } from '../../agent/identity-ports.js';
import type { StoredIdentity } from '../../domain/hardware-id.js';
import { removeStaleTempFiles, writeFileDurably } from '../durable-file/durable-write.js';
import { parseIdentity, serialiseIdentity } from './identity-file.js';
import { readRegularFile } from '../durable-file/read-regular-file.js';

export const IDENTITY_FILE = 'identity.json';

/** An identity is a few hundred bytes. */
const MAX_IDENTITY_BYTES = 64 * 1024;

/**
 * The enrolled identity in `<stateDirectory>/identity.json`, mode 0600: it holds the machine's
 * DMI UUID and MAC, which other local users have no need to read.
 */
export function createIdentityStore(stateDirectory: string): IdentityStore {
  const path = join(stateDirectory, IDENTITY_FILE);
  return {
    async load(): Promise<IdentityLoad> {
      // Only a regular file of ours: a symlink to /dev/zero or a FIFO must not hang the start.
      const found = await readRegularFile(path, MAX_IDENTITY_BYTES);
      if (found.kind === 'absent') return { kind: 'absent' };
      if (found.kind === 'refused') return { kind: 'unreadable', reason: found.code };
      const text = found.bytes.toString('utf8');
      const parsed = parseIdentity(text);
      switch (parsed.kind) {
        case 'parsed':
          return { kind: 'loaded', identity: parsed.identity };
        case 'invalid':
          return { kind: 'corrupt', reason: parsed.reason };
        default: {
          const never: never = parsed;
          return never;
        }
      }
    },
    async save(identity: StoredIdentity): Promise<void> {
      // Temp files of a run killed mid-write; the identity is saved once per start, so none of
      // ours is in flight.
      await removeStaleTempFiles(path);
      await writeFileDurably(path, serialiseIdentity(identity), 0o600);
    },
  };
}
