/**
 * Every way a question to the agent can fail. Branch on `code`, never on the message.
 *
 * - `agent_unavailable`: no answer at all: connection refused, no such socket, no permission on
 *   the socket, timeout, connection dropped. The agent is not running or not reachable from here.
 * - `unauthorized`: the agent wants a bearer token (HTTP 401) and none or a wrong one was sent.
 * - `bad_answer`: something answered, but not the way the agent does: not JSON, or the wrong
 *   shape. Usually another service on that port.
 * - `agent_error`: the agent answered with one of its errors; its code is in `agentCode`
 *   (`rate_limited` for a refresh asked for too soon, with `retryAfterSeconds`).
 * - `client_closed`: the client was used after `close()`.
 */
export type AgentClientErrorCode =
  'agent_unavailable' | 'unauthorized' | 'bad_answer' | 'agent_error' | 'client_closed';

export interface AgentClientErrorDetails {
  /** Where the client asked: the agent's URL, or `unix:<socket path>`. */
  readonly target: string;
  readonly status?: number | null;
  readonly agentCode?: string | null;
  readonly retryAfterSeconds?: number | null;
  readonly cause?: unknown;
}

export class AgentClientError extends Error {
  override readonly name = 'AgentClientError';
  readonly code: AgentClientErrorCode;
  /** Where the client asked: the agent's URL, or `unix:<socket path>`. */
  readonly target: string;
  /** The HTTP status, when something answered. */
  readonly status: number | null;
  /** The agent's own error code (`not_found`, `not_ready`, …), for `agent_error`. */
  readonly agentCode: string | null;
  /** The agent's `Retry-After`, in seconds, when it sent one (a refresh asked for too soon). */
  readonly retryAfterSeconds: number | null;

  constructor(code: AgentClientErrorCode, message: string, details: AgentClientErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.target = details.target;
    this.status = details.status ?? null;
    this.agentCode = details.agentCode ?? null;
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
  }
}
