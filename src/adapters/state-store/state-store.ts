import { join } from 'node:path';
import { Low } from 'lowdb';
import type { SavedState, StateLoad, StateStore } from '../../agent/state-ports.js';
import { removeStaleTempFiles } from '../durable-file/durable-write.js';
import { DEVICE_KEY_FILE, ensureDeviceSecret, readDeviceSecret } from './device-secret.js';
import { errorCode } from '../error-code.js';
import { DurableFile, type StoredBytes } from './durable-adapter.js';
import { clip, openEnvelope, sealEnvelope, unsealEnvelope } from './envelope.js';
import { legacyMacMatches, openLegacyV1 } from './legacy-envelope-v1.js';
import { describeIssue, savedStateSchema, toSavedState } from './saved-state-schema.js';
import { StateStoreError } from './state-store-error.js';

export const STATE_FILE = 'state.json';

export interface StateStoreOptions {
  /** The agent's state directory; created 0700 on the first save if missing. */
  readonly directory: string;
  /**
   * For a reader beside the agent (`doctor`, often as root): a load never writes, not even to
   * seal a previous release's file anew, which would leave a file the agent's user cannot read.
   * Such a reader does not save.
   */
  readonly readOnly?: boolean;
}

type Refused = Extract<StateLoad, { kind: 'refused' }>;

/**
 * The agent's state in `<directory>/state.json` (0600), encrypted with AES-256-GCM under a key
 * derived from the device secret in `<directory>/device.key` (0600) and the hardware ID.
 *
 * What protects what: GCM keeps the state, whose evidence bodies carry licence keys, unreadable
 * to whoever copies the file (a backup, a disk image, a support bundle) without `device.key`,
 * and refuses any edit, any splice and any file sealed for another device or hardware ID. It
 * does not stop root on the device, who can read `device.key` and so decrypt and re-seal at
 * will: against that, the agent verifies the vendor's signature of every evidence body again
 * after loading (src/app/restore-state.ts), so a re-sealed file can still grant nothing the
 * vendor did not sign. The store does not log: `load` returns why it refused, and the agent
 * logs and counts that. Evidence bodies come back byte for byte as saved.
 */
export function createStateStore(options: StateStoreOptions): StateStore {
  const { directory } = options;
  const path = join(directory, STATE_FILE);
  // One Low for the store's life, as lowdb intends. Its `data` is only a staging slot: a load
  // reads the file into it afresh (the adapter answers even "no file" with a box, which replaces
  // whatever a save left there), and a save puts the sealed bytes in it just before writing.
  const db = new Low<StoredBytes>(new DurableFile(path, 0o600), { bytes: null });
  // Loads and saves run one after another, in call order, so that they never share that slot,
  // a load sees every save called before it, and the last save called is the one left on disk;
  // a failed operation does not stop the ones queued behind it.
  let queue: Promise<unknown> = Promise.resolve();
  let leftoversRemoved = false;

  function inTurn<T>(operation: () => Promise<T>): Promise<T> {
    const result = queue.then(operation);
    queue = result.catch(() => undefined);
    return result;
  }

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
    db.data = { bytes: sealEnvelope(state, secret) };
    await db.write();
  }

  async function loadNow(hardwareId: string): Promise<StateLoad> {
    try {
      await db.read();
    } catch (error) {
      return refused('unreadable', `${STATE_FILE}: ${errorCode(error) ?? 'read failed'}`);
    }
    const { bytes } = db.data;
    if (bytes === null) return { kind: 'absent' };

    const opened = openEnvelope(bytes);
    if (opened.kind === 'refused') return opened;
    if (opened.kind === 'legacy-v1') return migrateLegacy(opened.data, hardwareId);
    const { envelope } = opened;
    if (envelope.hardwareId !== hardwareId) {
      return refused(
        'foreign',
        `saved for hardware ID ${clip(envelope.hardwareId)}, not ${hardwareId}`,
      );
    }

    const secret = await secretToOpen(directory);
    if (secret.kind === 'refused') return secret;
    const unsealed = unsealEnvelope(envelope, secret.secret);
    if (unsealed.kind === 'refused') return unsealed;

    // Authentic, so we wrote it: a mismatch here is an agent bug or a version mix-up, and is
    // still refused rather than guessed.
    const parsed = savedStateSchema.safeParse(unsealed.state);
    if (!parsed.success) return refused('corrupt', `state: ${describeIssue(parsed.error)}`);
    if (parsed.data.hardwareId !== envelope.hardwareId) {
      return refused('corrupt', 'state.hardwareId differs from the envelope');
    }
    return { kind: 'loaded', state: toSavedState(parsed.data) };
  }

  /**
   * A version 1 file is checked as version 1 checked it (this device's MAC, this hardware ID,
   * the schema), then sealed as version 2 over it at once, so its clear text does not outlive
   * the upgrade's first start. Should that save fail, the state is still served, and the next
   * save (after the first sync) tries again.
   */
  async function migrateLegacy(
    data: Readonly<Record<string, unknown>>,
    hardwareId: string,
  ): Promise<StateLoad> {
    const legacy = openLegacyV1(data);
    if (legacy.kind === 'refused') return legacy;
    if (legacy.hardwareId !== hardwareId) {
      return refused(
        'foreign',
        `saved for hardware ID ${clip(legacy.hardwareId)}, not ${hardwareId}`,
      );
    }
    const secret = await secretToOpen(directory);
    if (secret.kind === 'refused') return secret;
    if (!legacyMacMatches(data, secret.secret)) {
      return refused('tampered', 'version 1 file: its MAC does not match the device key');
    }
    const parsed = savedStateSchema.safeParse(legacy.state);
    if (!parsed.success)
      return refused('corrupt', `version 1 state: ${describeIssue(parsed.error)}`);
    if (parsed.data.hardwareId !== hardwareId) {
      return refused('corrupt', 'version 1 state.hardwareId differs from the envelope');
    }
    const state = toSavedState(parsed.data);
    if (options.readOnly === true) return { kind: 'loaded', state };
    try {
      await saveNow(state);
    } catch {
      // Served all the same: the clear-text file stays until a save succeeds.
    }
    return { kind: 'loaded', state };
  }

  return {
    load: (hardwareId: string) => inTurn(() => loadNow(hardwareId)),
    save: (state: SavedState) => inTurn(() => saveNow(state)),
  };
}

/** The device secret, or why a state cannot be opened without it. */
async function secretToOpen(
  directory: string,
): Promise<{ readonly kind: 'present'; readonly secret: Uint8Array } | Refused> {
  const secret = await readDeviceSecret(directory);
  switch (secret.kind) {
    case 'present':
      return secret;
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
}

function refused(reason: Refused['reason'], detail: string): Refused {
  return { kind: 'refused', reason, detail };
}
