import { readAgentError, ShapeError } from './answer-shapes.js';
import { AgentClientError } from './client-error.js';
import type { Reply, Transport } from './transport.js';

/** A 2xx reply's JSON; any other reply becomes the `AgentClientError` it stands for. */
export function answerOf(
  transport: Transport,
  path: string,
  reply: Reply,
  sentToken: boolean,
): unknown {
  const { target, where } = transport;
  const body = parseJson(reply.text);
  const status = reply.status;
  if (status >= 200 && status < 300) {
    if (body === notJson) {
      throw new AgentClientError(
        'bad_answer',
        `${where} answered GET ${path} with something that is not JSON: that is not the licence agent`,
        { target, status },
      );
    }
    return body;
  }

  const agentError = readAgentError(body);
  const details = { target, status, agentCode: agentError?.code ?? null };
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
      `${where} answered GET ${path} with HTTP ${String(status)} and a body that is not the licence agent's`,
      details,
    );
  }
  throw new AgentClientError(
    'agent_error',
    `the licence agent at ${where} answered GET ${path} with ${agentError.code}: ${agentError.message}`,
    details,
  );
}

/** Runs a reader; a body of the wrong shape is a `bad_answer` that says which field is wrong. */
export function shaped<T>(transport: Transport, path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new AgentClientError(
      'bad_answer',
      `${transport.where} answered GET ${path} with something that is not the licence agent's answer: ${error.message}`,
      { target: transport.target, cause: error },
    );
  }
}

const notJson: unique symbol = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return notJson;
  }
}
