import { Agent, request } from 'undici';
import { AgentClientError } from './client-error.js';

export interface TransportOptions {
  /** Origin plus any path prefix, without a trailing slash. */
  readonly baseUrl: string;
  readonly socketPath: string | null;
  readonly token: string | null;
  readonly timeoutMs: number;
}

export interface Reply {
  readonly status: number;
  readonly text: string;
  /** The `Retry-After` header, as sent. */
  readonly retryAfter: string | null;
}

export type Method = 'GET' | 'POST';

export interface Transport {
  /** Where requests go, for errors: the base URL, or `unix:<path>`. */
  readonly target: string;
  /** The same, for people. */
  readonly where: string;
  /**
   * One request; anything short of a whole answer rejects with `agent_unavailable`. `timeoutMs`
   * replaces the transport's deadline for this request (a refresh waits for a whole sync).
   */
  send(method: Method, path: string, timeoutMs?: number): Promise<Reply>;
  /**
   * Opens a `text/event-stream`: the body as it arrives while the answer is a 200, else the
   * whole answer. `idleMs`: the longest silence (heartbeats included) before the stream is given
   * up for dead. Rejects with `agent_unavailable` when there is no answer at all.
   */
  stream(path: string, signal: AbortSignal, idleMs: number): Promise<StreamReply>;
  close(): Promise<void>;
}

export type StreamReply =
  | { readonly kind: 'open'; readonly body: AsyncIterable<Buffer> }
  | { readonly kind: 'refused'; readonly reply: Reply };

/** A status with every licence and feature is a few kilobytes; this only stops a runaway body. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Requests over undici, on TCP or a Unix socket, with one deadline for connecting and reading. */
export function createTransport(options: TransportOptions): Transport {
  const { baseUrl, socketPath, token, timeoutMs } = options;
  const target = socketPath === null ? baseUrl : `unix:${socketPath}`;
  const where = socketPath === null ? baseUrl : `the Unix socket ${socketPath}`;
  // Over a Unix socket the URL's host is only the Host header; the socket decides where it goes.
  const dispatcher = new Agent({
    connect: socketPath === null ? { timeout: timeoutMs } : { timeout: timeoutMs, socketPath },
  });
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;

  return {
    target,
    where,
    async send(method, path, deadlineMs = timeoutMs) {
      const signal = AbortSignal.timeout(deadlineMs);
      try {
        const response = await request(`${baseUrl}${path}`, {
          method,
          dispatcher,
          signal,
          headers,
        });
        let size = 0;
        const chunks: Buffer[] = [];
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            throw new AgentClientError(
              'bad_answer',
              `${where} answered ${method} ${path} with more than ${String(MAX_BODY_BYTES)} bytes: that is not the licence agent`,
              { target, status: response.statusCode },
            );
          }
          chunks.push(chunk);
        }
        const retryAfter = response.headers['retry-after'];
        return {
          status: response.statusCode,
          text: Buffer.concat(chunks).toString('utf8'),
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
        };
      } catch (error) {
        if (error instanceof AgentClientError) throw error;
        throw unavailable(error, {
          target,
          where,
          timeoutMs: deadlineMs,
          timedOut: signal.aborted,
        });
      }
    },
    async stream(path, signal, idleMs) {
      try {
        const response = await request(`${baseUrl}${path}`, {
          method: 'GET',
          dispatcher,
          // Not the request deadline: the body goes on for as long as the stream is wanted.
          signal,
          headers: { ...headers, accept: 'text/event-stream' },
          headersTimeout: timeoutMs,
          bodyTimeout: idleMs,
        });
        if (response.statusCode === 200) {
          return { kind: 'open', body: response.body as AsyncIterable<Buffer> };
        }
        const text = await response.body.text();
        const retryAfter = response.headers['retry-after'];
        return {
          kind: 'refused',
          reply: {
            status: response.statusCode,
            text,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
          },
        };
      } catch (error) {
        throw unavailable(error, { target, where, timeoutMs, timedOut: false });
      }
    },
    close: () => dispatcher.close(),
  };
}

function unavailable(
  error: unknown,
  at: { target: string; where: string; timeoutMs: number; timedOut: boolean },
): AgentClientError {
  const code = errorCode(error);
  const details = { target: at.target, cause: error };
  if (at.timedOut || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new AgentClientError(
      'agent_unavailable',
      `the licence agent at ${at.where} did not answer within ${String(at.timeoutMs)} ms`,
      details,
    );
  }
  const why = reasons[code ?? ''] ?? `${code ?? 'unknown error'}. Is edge-license-agent running?`;
  return new AgentClientError(
    'agent_unavailable',
    `the licence agent is not reachable at ${at.where}: ${why}`,
    details,
  );
}

const notRunning = 'Is edge-license-agent running?';
const reasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: `connection refused. ${notRunning}`,
  ENOENT: `no such socket. ${notRunning} Is http.socket.path set to this path?`,
  EACCES: `permission denied. The socket's mode and group decide who may connect.`,
  EPERM: `permission denied. The socket's mode and group decide who may connect.`,
  ECONNRESET: `the connection was closed before an answer. ${notRunning}`,
  UND_ERR_SOCKET: `the connection was closed before an answer. ${notRunning}`,
  ENOTFOUND: 'no such host.',
  EAI_AGAIN: 'the host name could not be resolved.',
};

/**
 * The system or undici error code. Node reports a refused `localhost` (tried as ::1, then
 * 127.0.0.1) as an AggregateError whose parts carry the code.
 */
function errorCode(error: unknown): string | null {
  let current = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    current = current instanceof AggregateError ? (current.errors[0] as unknown) : current.cause;
  }
  return null;
}
