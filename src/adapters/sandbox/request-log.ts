import type { Reply } from './reply.js';
import type { RequestAuth } from './router.js';

/** One request as the sandbox saw it, for tests to assert what the agent sent. */
export interface SandboxRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly auth: RequestAuth;
  readonly status: number;
  /** The error code answered (`code` of the License API, `error` of OAuth), or null. */
  readonly code: string | null;
}

export function logEntry(
  method: string,
  url: URL,
  auth: RequestAuth,
  reply: Reply,
): SandboxRequest {
  return {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    auth,
    status: reply.status,
    code: reply.status >= 400 ? errorCode(reply.body) : null,
  };
}

function errorCode(body: Reply['body']): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const record = body as Readonly<Record<string, unknown>>;
  const code = record['code'] ?? record['error'];
  return typeof code === 'string' ? code : null;
}
