import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IdentityLoad, IdentityStore } from '../../agent/identity-ports.js';
import type { StoredIdentity } from '../../domain/hardware-id.js';
import { writeFileDurably } from '../durable-file/durable-write.js';
import { parseIdentity, serialiseIdentity } from './identity-file.js';
import { errorCode } from '../error-code.js';

export const IDENTITY_FILE = 'identity.json';

/**
 * The enrolled identity in `<stateDirectory>/identity.json`, mode 0600: it holds the machine's
 * DMI UUID and MAC, which other local users have no need to read.
 */
export function createIdentityStore(stateDirectory: string): IdentityStore {
  const path = join(stateDirectory, IDENTITY_FILE);
  return {
    async load(): Promise<IdentityLoad> {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT') return { kind: 'absent' };
        return { kind: 'unreadable', reason: code ?? String(error) };
      }
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
      await writeFileDurably(path, serialiseIdentity(identity), 0o600);
    },
  };
}
