import type { FactAttempt } from '../../agent/identity-ports.js';
import { join } from 'node:path';
import { attempt, type ComponentRead, type Interpretation } from './component-read.js';
import type { ReadText } from './read-text.js';

/** The credential name operators hand the DMI UUID over with; see readBoardId. */
export const DMI_CREDENTIAL = 'dmi-product-uuid';

/**
 * The mainboard's identity, tried in order:
 *
 * 1. `$CREDENTIALS_DIRECTORY/dmi-product-uuid`. product_uuid is root-only (0400), so a service
 *    running as its own user cannot read it; systemd can, as root, before dropping privileges:
 *    `LoadCredential=dmi-product-uuid:/sys/class/dmi/id/product_uuid`.
 * 2. `<sysfs>/class/dmi/id/product_uuid`, for a service that runs as root.
 * 3. `<sysfs>/firmware/devicetree/base/serial-number`, only when the machine has no DMI at all:
 *    ARM boards (Raspberry Pi and most gateways) have no DMI but a world-readable SoC serial that
 *    plays the same part — it stays with the board, not with the disk.
 */
export async function readBoardId(
  sysfsRoot: string,
  credentialsDirectory: string | undefined,
  read: ReadText,
): Promise<ComponentRead> {
  const attempts: FactAttempt[] = [];
  if (credentialsDirectory === undefined || credentialsDirectory === '') {
    attempts.push({
      source: `$CREDENTIALS_DIRECTORY/${DMI_CREDENTIAL}`,
      result: 'not-found',
      detail: 'CREDENTIALS_DIRECTORY is not set (no LoadCredential= in the unit)',
    });
  } else {
    const credential = await attempt(
      read,
      join(credentialsDirectory, DMI_CREDENTIAL),
      interpretDmiUuid,
    );
    attempts.push(credential.attempt);
    if (credential.value !== null) return { value: credential.value, attempts };
  }

  const dmi = await attempt(
    read,
    join(sysfsRoot, 'class', 'dmi', 'id', 'product_uuid'),
    interpretDmiUuid,
  );
  attempts.push(dmi.attempt);
  if (dmi.value !== null) return { value: dmi.value, attempts };
  // Forbidden or a placeholder means the machine has DMI: another source would name another thing.
  if (dmi.attempt.result !== 'not-found') return { value: null, attempts };

  const serial = await attempt(
    read,
    join(sysfsRoot, 'firmware', 'devicetree', 'base', 'serial-number'),
    interpretBoardSerial,
  );
  attempts.push(serial.attempt);
  return { value: serial.value, attempts };
}

// Firmware defaults that many boards ship with: identical on every unit, so worse than none.
const PLACEHOLDERS = new Set([
  '03000200-0400-0500-0006-000700080009',
  '00020003-0004-0005-0006-000700080009',
  'not settable',
  'not specified',
  'not present',
  'default string',
  'to be filled by o.e.m.',
  'none',
]);

export function interpretDmiUuid(text: string): Interpretation {
  const uuid = text.trim().toLowerCase();
  if (uuid === '') return { kind: 'placeholder', detail: 'empty' };
  if (PLACEHOLDERS.has(uuid)) return { kind: 'placeholder', detail: uuid };
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/.test(hex)) return { kind: 'malformed', detail: 'not a UUID' };
  // All zeros, all ff, and the like: one digit repeated is a blank, not an identity.
  if (/^(.)\1*$/.test(hex)) return { kind: 'placeholder', detail: uuid };
  return { kind: 'value', value: uuid };
}

export function interpretBoardSerial(text: string): Interpretation {
  // Device-tree strings end in NUL.
  const serial = text.replaceAll('\0', '').trim().toLowerCase();
  if (serial === '') return { kind: 'placeholder', detail: 'empty' };
  if (/^0+$/.test(serial)) return { kind: 'placeholder', detail: 'all zeros' };
  return { kind: 'value', value: serial };
}
