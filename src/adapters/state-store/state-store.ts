import { join } from 'node:path';
import { Low } from 'lowdb';
import type { SavedState, StateLoad, StateStore } from '../../agent/state-ports.js';
import { removeStaleTempFiles } from '../durable-file/durable-write.js';
import { DEVICE_KEY_FILE, ensureDeviceSecret, readDeviceSecret } from './device-secret.js';
import type { StoredBytes } from './durable-adapter.js';
import { errorCode } from '../error-code.js';
import { DurableFile } from './durable-adapter.js';
import { clip, macMatches, openEnvelope, sealEnvelope } from './envelope.js';
import { describeIssue, savedStateSchema, toSavedState } from './saved-state-schema.js';
import { StateStoreError } from './state-store-error.js';

export const STATE_FILE = 'state.json';

export interface StateStoreOptions {
  /** The agent's state directory; created 0700 on the first save if missing. */
  readonly directory: string;
}

type Refused = Extract<StateLoad, { kind: 'refused' }>;

/**
 * The agent's state in `<directory>/state.json` (0600), sealed with a MAC keyed by the device
 * secret in `<directory>/device.key` (0600). It does not log: `load` returns why it refused, and
 * the agent logs and counts that. Evidence bodies come back byte for byte as saved; verifying
 * their vendor signatures is the agent's job, as it holds the vendor key.
 */
export function createStateStore(options: StateStoreOptions): StateStore {
  const { directory } = options;
  const path = join(directory, STATE_FILE);
  const file = new DurableFile(path, 0o600);
  // Saves run one after another, in call order, so the last call's state is the one left on
  // disk; a failed save does not stop the ones queued behind it.
  let queue: Promise<void> = Promise.resolve();
  let leftoversRemoved = false;

  async function saveNow(state: SavedState): Promise<void> {
    const checked = savedStateSchema.safeParse(state);
    if (!checked.success) {
      // Saving it would only make the next start refuse it; say so now, where the bug is.
      throw new StateStoreError(
        'invalid_state',
        `not a valid state: ${describeIssue(checked.error)}`,
      );
    }
    if (!leftoversRemoved) {
      // Temp files of a previous run that was killed mid-write. None of ours is in flight yet.
      await removeStaleTempFiles(path);
      await removeStaleTempFiles(join(directory, DEVICE_KEY_FILE));
      leftoversRemoved = true;
    }
    const secret = await ensureDeviceSecret(directory);
    // One Low per operation: lowdb keeps the last data in memory, and a load must never see
    // what a save put there rather than what is on disk.
    const db = new Low<StoredBytes | null>(file, { bytes: sealEnvelope(state, secret) });
    await db.write();
  }

  return {
    async load(hardwareId: string): Promise<StateLoad> {
      const db = new Low<StoredBytes | null>(file, null);
      try {
        await db.read();
      } catch (error) {
        return refused('unreadable', `${STATE_FILE}: ${errorCode(error) ?? 'read failed'}`);
      }
      if (db.data === null) return { kind: 'absent' };

      const opened = openEnvelope(db.data.bytes);
      if (opened.kind === 'refused') return opened;
      const { envelope } = opened;
      if (envelope.hardwareId !== hardwareId) {
        return refused(
          'foreign',
          `saved for hardware ID ${clip(envelope.hardwareId)}, not ${hardwareId}`,
        );
      }

      const secret = await readDeviceSecret(directory);
      switch (secret.kind) {
        case 'present':
          break;
        case 'absent':
          // Without its key a state cannot be told from a forged one.
          return refused('tampered', `${DEVICE_KEY_FILE} is missing`);
        case 'invalid':
          return refused('tampered', secret.detail);
        case 'unreadable':
          return refused('unreadable', secret.detail);
        default: {
          const never: never = secret;
          return never;
        }
      }
      if (!macMatches(envelope, secret.secret)) {
        return refused('tampered', 'MAC does not match the content');
      }

      const parsed = savedStateSchema.safeParse(envelope.state);
      if (!parsed.success) return refused('corrupt', `state: ${describeIssue(parsed.error)}`);
      if (parsed.data.hardwareId !== envelope.hardwareId) {
        return refused('corrupt', 'state.hardwareId differs from the envelope');
      }
      return { kind: 'loaded', state: toSavedState(parsed.data) };
    },

    save(state: SavedState): Promise<void> {
      const saved = queue.then(() => saveNow(state));
      queue = saved.catch(() => undefined);
      return saved;
    },
  };
}

function refused(reason: Refused['reason'], detail: string): Refused {
  return { kind: 'refused', reason, detail };
}
