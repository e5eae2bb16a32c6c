import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFileDurably } from '../durable-file/durable-write.js';
import { readRegularFile } from '../durable-file/read-regular-file.js';
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
  // Only a regular file, of a bounded size: a symlink to /dev/zero or a FIFO in its place must not
  // grow memory or hang the start. The bound is loose so that a key of the wrong length is still
  // read, and then replaced as malformed rather than refused as unreadable.
  const found = await readRegularFile(join(directory, DEVICE_KEY_FILE), 4096);
  if (found.kind === 'absent') return { kind: 'absent' };
  if (found.kind === 'refused') {
    return { kind: 'unreadable', detail: `${DEVICE_KEY_FILE}: ${found.code}` };
  }
  const bytes = found.bytes;
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
