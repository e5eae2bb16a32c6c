import type { PeerCertificate, TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { PINNED_CERTIFICATE_MISMATCH } from '../http-client/transport-error.js';

/**
 * How the LEM server's certificate is trusted. LEM ships a self-signed certificate, so the
 * system store alone rarely works: give its CA, or pin its certificate's SHA-256 fingerprint.
 * `insecure` trusts anyone on the path and exists only for an explicit setting whose warning the
 * caller logs at every start.
 */
export type LemTls =
  | { readonly kind: 'system' }
  | { readonly kind: 'ca'; readonly caPem: string }
  | { readonly kind: 'fingerprint'; readonly sha256: string }
  | { readonly kind: 'insecure' };

/** `AB:CD:…`, `abcd…` and `sha256/…`-free hex all compare equal. */
export function normaliseFingerprint(text: string): string {
  return text.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

export function lemDispatcher(tls: LemTls): Agent {
  switch (tls.kind) {
    case 'system':
      return new Agent();
    case 'ca':
      return new Agent({ connect: { ca: tls.caPem } });
    case 'fingerprint':
      return new Agent({ connect: pinnedConnector(normaliseFingerprint(tls.sha256)) });
    case 'insecure':
      return new Agent({ connect: { rejectUnauthorized: false } });
    default: {
      const never: never = tls;
      return never;
    }
  }
}

/**
 * A pinned certificate is checked after the handshake, on the socket: node calls
 * `checkServerIdentity` only once the chain verified, which a self-signed chain never does.
 * Nothing is written to the socket before the check passes.
 */
function pinnedConnector(expected: string): buildConnector.connector {
  const connect = buildConnector({ rejectUnauthorized: false });
  return (options, callback) => {
    connect(options, (error, socket) => {
      if (error !== null) {
        callback(error, null);
        return;
      }
      // An empty object when the server sent no certificate: the field is then absent.
      const peer: Partial<PeerCertificate> = (socket as TLSSocket).getPeerCertificate();
      const presented = peer.fingerprint256;
      const actual = normaliseFingerprint(presented ?? '');
      if (actual !== '' && actual === expected) {
        callback(null, socket);
        return;
      }
      socket.destroy();
      const mismatch = Object.assign(
        new Error(
          `the LEM server's certificate fingerprint ${presented ?? '(none)'} is not the pinned one`,
        ),
        { code: PINNED_CERTIFICATE_MISMATCH },
      );
      callback(mismatch, null);
    });
  };
}
