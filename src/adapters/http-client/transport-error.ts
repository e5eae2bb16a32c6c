import type { UnreachableCause } from '../../domain/upstream-outcome.js';

/**
 * Names the way a request failed before an answer arrived, from the error codes node and undici
 * attach (undici wraps the socket's error in `cause`). Never from `err.message`.
 */
export function transportFailure(error: unknown, timedOut: boolean): UnreachableCause {
  if (timedOut) return 'timeout';
  for (const code of codesOf(error)) {
    const cause = byCode[code] ?? (isTlsCode(code) ? 'tls' : undefined);
    if (cause !== undefined) return cause;
  }
  return 'network';
}

/**
 * The most specific code on the error or its causes (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ECONNRESET`),
 * for the log line: the cause says what kind of failure it was, this says which one.
 */
export function transportErrorCode(error: unknown): string | null {
  const codes = codesOf(error);
  return codes.find((code) => byCode[code] !== undefined || isTlsCode(code)) ?? codes[0] ?? null;
}

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = e.cause;
  }
  return codes;
}

/**
 * A certificate that does not verify is a configuration or an attack, not an outage: reporting
 * it as a network failure sent people looking at cables. Node names OpenSSL's verify results
 * by their X509_V_ERR name without the prefix, and its own TLS and OpenSSL errors `ERR_TLS_*`
 * and `ERR_SSL_*`.
 */
function isTlsCode(code: string): boolean {
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || tlsVerifyCodes.has(code);
}

/** A connector that pins a certificate fails with this when the server shows another one. */
export const PINNED_CERTIFICATE_MISMATCH = 'PINNED_CERTIFICATE_MISMATCH';

const tlsVerifyCodes: ReadonlySet<string> = new Set([
  PINNED_CERTIFICATE_MISMATCH,
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  // What Node reports for a TLS protocol failure it has no more specific code for.
  'EPROTO',
]);

const byCode: Readonly<Record<string, UnreachableCause>> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'network',
  ENETUNREACH: 'network',
};
