import type { UnreachableCause } from '../../domain/upstream-outcome.js';

/**
 * Names the way a request failed before an answer arrived, from the error codes node and undici
 * attach (undici wraps the socket's error in `cause`). Never from `err.message`.
 */
export function transportFailure(error: unknown, timedOut: boolean): UnreachableCause {
  if (timedOut) return 'timeout';
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      const cause = byCode[code];
      if (cause !== undefined) return cause;
    }
    e = e.cause;
  }
  return 'network';
}

/** The first string `code` on the error or its causes: kept for the operator, never parsed. */
export function transportCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return null;
}

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
