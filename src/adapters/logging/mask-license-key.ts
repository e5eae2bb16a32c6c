const VISIBLE = 4;
/** Below this, four characters would be too large a share of the key to give away. */
const MIN_LENGTH_TO_HINT = 12;

/**
 * Enough of a licence key for an operator to tell two licences apart in logs (`…WU13`), and not
 * enough to use it. Log it under a name the redaction does not catch, e.g. `licenseKeyHint`;
 * prefer the licence id, which is not a secret at all, wherever it is known.
 */
export function maskLicenseKey(key: string): string {
  if (key.length < MIN_LENGTH_TO_HINT) return '…';
  return `…${key.slice(-VISIBLE)}`;
}
