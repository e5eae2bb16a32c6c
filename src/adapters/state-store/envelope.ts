import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { SavedState, StateLoadFailure } from '../../agent/state-ports.js';

export const STATE_FORMAT = 'edge-license-agent/state';
/**
 * Bumped when the envelope or the state's shape changes; any other version is refused, not
 * guessed at, except version 1, which the previous release wrote: the state in clear under an
 * HMAC. It is handed back as `legacy-v1` for the store to check, read once and seal again as
 * version 2 (legacy-envelope-v1.ts), so an upgrade keeps the saved answers and offline grace.
 */
export const STATE_VERSION = 2;

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * What `state.json` holds: only what must be read before decrypting is in clear. `hardwareId`
 * is there so that another device's file is reported as `foreign` by name; it and the format
 * and version are bound to the ciphertext as GCM additional data, so none can be edited alone.
 */
export interface Envelope {
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_VERSION;
  readonly hardwareId: string;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

export type EnvelopeRead =
  | { readonly kind: 'envelope'; readonly envelope: Envelope }
  /** A version 1 file's parsed JSON, its MAC not yet checked. */
  | { readonly kind: 'legacy-v1'; readonly data: Readonly<Record<string, unknown>> }
  | { readonly kind: 'refused'; readonly reason: StateLoadFailure; readonly detail: string };

export type Unsealed =
  | { readonly kind: 'unsealed'; readonly state: unknown }
  | { readonly kind: 'refused'; readonly reason: StateLoadFailure; readonly detail: string };

const ENVELOPE_KEYS = ['ciphertext', 'format', 'hardwareId', 'nonce', 'tag', 'version'];
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Encrypts the state under this device's key, with a fresh random nonce on every call. */
export function sealEnvelope(state: SavedState, deviceSecret: Uint8Array): Uint8Array {
  const { hardwareId } = state;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', stateKey(deviceSecret, hardwareId), nonce, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(header(hardwareId));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
  const envelope = {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    hardwareId,
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
  return Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8');
}

/**
 * Reads the envelope's frame: UTF-8, JSON, our format, our version, exactly our six keys, each
 * base64 field canonical and of its length. It says nothing yet about whether the content is
 * genuine; only `unsealEnvelope` does.
 */
export function openEnvelope(bytes: Uint8Array): EnvelopeRead {
  let data: unknown;
  try {
    data = JSON.parse(fatalUtf8.decode(bytes));
  } catch {
    // Truncation, flipped bytes and garbage all end here.
    return corrupt(bytes.length === 0 ? 'empty file' : 'not UTF-8 JSON');
  }
  if (!isRecord(data) || data.format !== STATE_FORMAT) return corrupt('not a state file');
  if (data.version === 1) return { kind: 'legacy-v1', data };
  if (data.version !== STATE_VERSION) {
    const found = data.version === undefined ? 'missing' : clip(JSON.stringify(data.version));
    return {
      kind: 'refused',
      reason: 'unsupported_version',
      detail: `version ${found}, expected ${STATE_VERSION}`,
    };
  }
  const keys = Object.keys(data).sort();
  if (keys.join() !== ENVELOPE_KEYS.join()) return corrupt('unexpected or missing envelope keys');
  if (typeof data.hardwareId !== 'string') return corrupt('hardwareId is not a string');
  const nonce = base64Field(data.nonce, NONCE_BYTES);
  const ciphertext = base64Field(data.ciphertext, null);
  const tag = base64Field(data.tag, TAG_BYTES);
  if (nonce === null) return corrupt(`nonce is not ${NONCE_BYTES} bytes of base64`);
  if (ciphertext === null) return corrupt('ciphertext is not base64');
  // Node would accept a shorter tag, and a 4-byte tag is forged in 2^32 tries.
  if (tag === null) return corrupt(`tag is not ${TAG_BYTES} bytes of base64`);
  return {
    kind: 'envelope',
    envelope: {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      hardwareId: data.hardwareId,
      nonce,
      ciphertext,
      tag,
    },
  };
}

/**
 * Decrypts and authenticates in one step: any change to the ciphertext, the tag, the nonce or
 * the clear header, or another device's key, fails the tag. The state is then JSON, not yet
 * checked against the schema.
 */
export function unsealEnvelope(envelope: Envelope, deviceSecret: Uint8Array): Unsealed {
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      stateKey(deviceSecret, envelope.hardwareId),
      envelope.nonce,
      { authTagLength: TAG_BYTES },
    );
    decipher.setAAD(header(envelope.hardwareId));
    decipher.setAuthTag(envelope.tag);
    plaintext = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
  } catch {
    return {
      kind: 'refused',
      reason: 'tampered',
      detail: 'does not decrypt with the device key: edited, or sealed on another device',
    };
  }
  try {
    return { kind: 'unsealed', state: JSON.parse(fatalUtf8.decode(plaintext)) };
  } catch {
    // Authentic, so we wrote it: an agent bug, not an attack.
    return corrupt('decrypted state is not UTF-8 JSON');
  }
}

/**
 * The clear fields, in a fixed order, as the GCM additional data. JSON of an array is
 * unambiguous: no hardware ID can be crafted to read as another format or version.
 */
function header(hardwareId: string): Buffer {
  return Buffer.from(JSON.stringify([STATE_FORMAT, STATE_VERSION, hardwareId]), 'utf8');
}

/**
 * HKDF-SHA256 of the device secret, for this format, version and hardware ID: a file moved to
 * another hardware ID, or to a device with another secret, never decrypts. The hardware ID
 * enters through its SHA-256 because Node caps HKDF info at 1024 bytes and the ID is
 * operator-configured text. No salt: the secret is already 32 uniformly random bytes.
 */
function stateKey(deviceSecret: Uint8Array, hardwareId: string): Buffer {
  const idDigest = createHash('sha256').update(hardwareId, 'utf8').digest('hex');
  const info = `${STATE_FORMAT}|v${STATE_VERSION}|${idDigest}`;
  return Buffer.from(hkdfSync('sha256', deviceSecret, Buffer.alloc(0), info, KEY_BYTES));
}

/**
 * Bytes from canonical base64 only: Node's decoder skips stray characters and ignores the spare
 * bits of the last one, so without the round trip an edited field could still decode the same.
 */
function base64Field(value: unknown, length: number | null): Buffer | null {
  if (typeof value !== 'string') return null;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return null;
  if (length !== null && bytes.length !== length) return null;
  return bytes;
}

/** Text taken from the file goes into a log line: keep it short whatever the file holds. */
export function clip(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

function corrupt(detail: string): { kind: 'refused'; reason: 'corrupt'; detail: string } {
  return { kind: 'refused', reason: 'corrupt', detail };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
