import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { LemStore, LemStoreLoad } from '../../agent/lem-poll-ports.js';
import type { LemSnapshot } from '../../domain/lem-snapshot.js';
import { writeFileDurably } from '../durable-file/durable-write.js';
import { readRegularFile } from '../durable-file/read-regular-file.js';
import { ensureDeviceSecret, readDeviceSecret } from './device-secret.js';
import { lemSnapshotSchema } from './lem-snapshot-schema.js';

export const LEM_STATE_FILE = 'lem-state.json';
const FORMAT = 'edge-license-agent/lem-state';
const VERSION = 1;
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * The last good LEM answers in `<directory>/lem-state.json` (0600), sealed like `state.json`:
 * AES-256-GCM under an HKDF-SHA256 key from `device.key` and the hardware ID, with its own format
 * name in the key's info and the additional data, so that neither file can be passed off as the
 * other. It holds no licence key even inside (the snapshot drops them); the seal keeps the pool
 * and device names from whoever copies the file, and refuses an edited or foreign one. Nothing a
 * LEM file says can grant a LicenseSpring feature: the two are read and decided apart.
 */
export function createLemStore(directory: string): LemStore {
  const path = join(directory, LEM_STATE_FILE);
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = queue.then(operation);
    queue = result.catch(() => undefined);
    return result;
  };

  const save = async (snapshot: LemSnapshot, hardwareId: string, at: number): Promise<void> => {
    const secret = await ensureDeviceSecret(directory);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key(secret, hardwareId), nonce, {
      authTagLength: 16,
    });
    cipher.setAAD(header(hardwareId));
    const plain = JSON.stringify({ savedAt: at, snapshot: lemSnapshotSchema.parse(snapshot) });
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const envelope = {
      format: FORMAT,
      version: VERSION,
      hardwareId,
      nonce: nonce.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
    await writeFileDurably(path, `${JSON.stringify(envelope, null, 2)}\n`, 0o600);
  };

  const load = async (hardwareId: string): Promise<LemStoreLoad> => {
    const found = await readRegularFile(path, MAX_BYTES);
    if (found.kind === 'absent') return { kind: 'absent' };
    if (found.kind === 'refused') return refused('unreadable', found.code);
    const envelope = parseEnvelope(found.bytes);
    if (envelope === null) return refused('corrupt', 'not a LEM state envelope');
    if (envelope.hardwareId !== hardwareId)
      return refused('foreign', 'saved for another hardware ID');
    const secret = await readDeviceSecret(directory);
    if (secret.kind !== 'present') return refused('tampered', 'no usable device.key');
    let plain: unknown;
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        key(secret.secret, hardwareId),
        envelope.nonce,
        {
          authTagLength: 16,
        },
      );
      decipher.setAAD(header(hardwareId));
      decipher.setAuthTag(envelope.tag);
      const bytes = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
      plain = JSON.parse(bytes.toString('utf8'));
    } catch {
      return refused('tampered', 'does not decrypt with the device key');
    }
    if (!isRecord(plain) || typeof plain.savedAt !== 'number')
      return refused('corrupt', 'no savedAt');
    const snapshot = lemSnapshotSchema.safeParse(plain.snapshot);
    if (!snapshot.success) return refused('corrupt', 'the snapshot does not match its schema');
    return { kind: 'loaded', snapshot: snapshot.data, savedAt: plain.savedAt };
  };

  return {
    load: (hardwareId) => inTurn(() => load(hardwareId)),
    save: (snapshot, hardwareId, at) => inTurn(() => save(snapshot, hardwareId, at)),
  };
}

function header(hardwareId: string): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, VERSION, hardwareId]), 'utf8');
}

function key(secret: Uint8Array, hardwareId: string): Buffer {
  const idDigest = createHash('sha256').update(hardwareId, 'utf8').digest('hex');
  return Buffer.from(
    hkdfSync('sha256', secret, Buffer.alloc(0), `${FORMAT}|v${VERSION}|${idDigest}`, 32),
  );
}

interface Envelope {
  readonly hardwareId: string;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

function parseEnvelope(bytes: Buffer): Envelope | null {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(data) || data.format !== FORMAT || data.version !== VERSION) return null;
  if (typeof data.hardwareId !== 'string') return null;
  const nonce = base64(data.nonce, 12);
  const ciphertext = base64(data.ciphertext, null);
  const tag = base64(data.tag, 16);
  if (nonce === null || ciphertext === null || tag === null) return null;
  return { hardwareId: data.hardwareId, nonce, ciphertext, tag };
}

/** Canonical base64 only, of the given length: a short GCM tag would be forgeable. */
function base64(value: unknown, length: number | null): Buffer | null {
  if (typeof value !== 'string') return null;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return null;
  return length === null || bytes.length === length ? bytes : null;
}

function refused(reason: string, detail: string): LemStoreLoad {
  return { kind: 'refused', reason, detail: `${LEM_STATE_FILE}: ${detail}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
