import { createHash } from 'node:crypto';

/** The digest the hardware ID is composed with. SHA-256: stable forever, in every Node build. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
