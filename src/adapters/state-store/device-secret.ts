import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../durable-file/durable-write.js';
import { errorCode } from '../error-code.js';
import { StateStoreError } from './state-store-error.js';

export const DEVICE_KEY_FILE = 'device.key';
export const DEVICE_KEY_BYTES = 32;

export type DeviceSecretRead =
  | { readonly kind: 'present'; readonly secret: Uint8Array }
  | { readonly kind: 'absent' }
  | { readonly kind: 'invalid'; readonly detail: string }
  | { readonly kind: 'unreadable'; readonly detail: string };

/**
 * The per-device secret the state's encryption key is derived from: 32 random bytes in
 * `device.key`, mode 0600, made on this device and never copied off it. Without it a copy of
 * `state.json` reveals nothing (the licence keys in the evidence stay encrypted) and cannot be
 * edited or planted. It is kept beside the state in clear, so it protects nothing from root on
 * the device, or from whoever copies the whole directory: root can read it, decrypt the state
 * and re-seal an edited one. That is why the evidence is also verified against the vendor's
 * signature on every load. The secret is never logged and never appears in a detail.
 */
export async function readDeviceSecret(directory: string): Promise<DeviceSecretRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(directory, DEVICE_KEY_FILE));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unreadable', detail: `${DEVICE_KEY_FILE}: ${code ?? 'read failed'}` };
  }
  if (bytes.length !== DEVICE_KEY_BYTES) {
    return { kind: 'invalid', detail: `${DEVICE_KEY_FILE} is ${bytes.length} bytes, not 32` };
  }
  return { kind: 'present', secret: bytes };
}

/**
 * The secret to save with, made on first use. A missing or malformed key is replaced: the state
 * it guarded is unverifiable already, and keeping the bad key would make every later save
 * unloadable too. An unreadable key throws, since replacing a key we cannot read could clobber
 * a good one (a permissions mistake, not tampering).
 */
export async function ensureDeviceSecret(directory: string): Promise<Uint8Array> {
  const found = await readDeviceSecret(directory);
  switch (found.kind) {
    case 'present':
      return found.secret;
    case 'absent':
    case 'invalid': {
      const secret = randomBytes(DEVICE_KEY_BYTES);
      await writeFileDurably(join(directory, DEVICE_KEY_FILE), secret, 0o600);
      return secret;
    }
    case 'unreadable':
      throw new StateStoreError(
        'device_secret_unreadable',
        `cannot read the device secret: ${found.detail}`,
      );
    default: {
      const never: never = found;
      return never;
    }
  }
}
