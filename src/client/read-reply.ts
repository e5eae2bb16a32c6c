import { readAgentError, ShapeError } from './answer-shapes.js';
import { AgentClientError } from './client-error.js';
import type { Method, Reply, Transport } from './transport.js';

/** What was asked, for messages: `GET /v1/status`. */
export interface Asked {
  readonly method: Method;
  readonly path: string;
}

/** A 2xx reply's JSON; any other reply becomes the `AgentClientError` it stands for. */
export function answerOf(
  transport: Transport,
  asked: Asked,
  reply: Reply,
  sentToken: boolean,
): unknown {
  const { target, where } = transport;
  const what = `${asked.method} ${asked.path}`;
  const body = parseJson(reply.text);
  const status = reply.status;
  if (status >= 200 && status < 300) {
    if (body === notJson) {
      throw new AgentClientError(
        'bad_answer',
        `${where} answered ${what} with something that is not JSON: that is not the licence agent`,
        { target, status },
      );
    }
    return body;
  }

  const agentError = readAgentError(body);
  const details = {
    target,
    status,
    agentCode: agentError?.code ?? null,
    retryAfterSeconds: seconds(reply.retryAfter),
  };
  if (status === 401) {
    throw new AgentClientError(
      'unauthorized',
      sentToken
        ? `the licence agent at ${where} did not accept the token`
        : `the licence agent at ${where} asks for a bearer token: pass { token } (its http.token)`,
      details,
    );
  }
  if (agentError === null) {
    throw new AgentClientError(
      'bad_answer',
      `${where} answered ${what} with HTTP ${String(status)} and a body that is not the licence agent's`,
      details,
    );
  }
  throw new AgentClientError(
    'agent_error',
    `the licence agent at ${where} answered ${what} with ${agentError.code}: ${agentError.message}`,
    details,
  );
}

/** Runs a reader; a body of the wrong shape is a `bad_answer` that says which field is wrong. */
export function shaped<T>(transport: Transport, asked: Asked, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new AgentClientError(
      'bad_answer',
      `${transport.where} answered ${asked.method} ${asked.path} with something that is not the licence agent's answer: ${error.message}`,
      { target: transport.target, cause: error },
    );
  }
}

/**
 * The body of the agent's error reply when its code is `code`, else null: some errors carry an
 * answer (a failed sync comes with its report).
 */
export function errorBodyWith(reply: Reply, code: string): unknown {
  const body = parseJson(reply.text);
  return readAgentError(body)?.code === code ? body : null;
}

const notJson: unique symbol = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return notJson;
  }
}

/** `Retry-After` in seconds; the agent never sends the HTTP-date form, so that counts as none. */
function seconds(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}
