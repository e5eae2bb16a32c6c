import { createPublicKey, type KeyObject } from 'node:crypto';
import { sandboxSigningKey } from '../adapters/sandbox/signing-key-file.js';
import type { ResolvedConfig } from '../config/resolved-config.js';

/** The key answers are verified with, and for the built-in sandbox the key it signs with. */
export interface TrustAnchor {
  /** Null only for a real server configured without a public key. */
  readonly publicKey: KeyObject | null;
  readonly sandboxKey: KeyObject | null;
}

/**
 * Known before the upstream is: saved answers are verified with it at start, so the agent can be
 * ready from its saved state before it has even tried to reach the server.
 */
export async function trustAnchor(config: ResolvedConfig): Promise<TrustAnchor> {
  if (config.upstream.kind === 'sandbox') {
    const sandboxKey = await sandboxSigningKey(config.stateDirectory);
    return { publicKey: createPublicKey(sandboxKey), sandboxKey };
  }
  const pem = config.upstream.publicKeyPem;
  return { publicKey: pem === null ? null : createPublicKey(pem), sandboxKey: null };
}
