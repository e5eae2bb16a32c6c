/**
 * A genuine answer exactly as it arrived: the body text and its `LicenseSignature`. Kept so that
 * what the agent believes can be verified again later (after a restart, from disk) rather than
 * taken on trust from a file anyone with access could edit.
 */
export interface Evidence {
  readonly body: string;
  /** Null only where no vendor key is configured and so nothing was checked. */
  readonly signature: string | null;
}
