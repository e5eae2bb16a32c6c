import type { AgentClientError, AgentClientErrorCode } from '../client/client-error.js';
import type { Connection } from './connection.js';

/**
 * The one line a failed question to the agent prints: where it asked, what went wrong, what to
 * do. Built from the error's code and its cause's system code, never from its message.
 */
export function failureLine(error: AgentClientError, connection: Connection): string {
  return SAY[error.code](error, connection);
}

type Say = (error: AgentClientError, connection: Connection) => string;

const SAY: Readonly<Record<AgentClientErrorCode, Say>> = {
  agent_unavailable: (error, { target }) =>
    `cannot reach the agent at ${target}: ${unreachableWhy(error)}`,
  unauthorized: (_error, { target, tokenFile }) =>
    tokenFile === null
      ? `the agent at ${target} wants a token: --token-file FILE (or $ELA_TOKEN_FILE) with its http.token`
      : `the agent at ${target} did not accept the token in ${tokenFile}: is it the agent's http.token?`,
  bad_answer: (_error, { target }) =>
    `${target} answered, but not as the licence agent does: is that the agent's address (--url, --socket)?`,
  agent_error: (error, { target }) =>
    `the agent at ${target} answered ${error.agentCode ?? 'an error'} (HTTP ${String(error.status ?? '?')}): see its log (journalctl -u edge-license-agent)`,
  client_closed: (_error, { target }) =>
    `the question to the agent at ${target} was cut short: try again`,
};

function unreachableWhy(error: AgentClientError): string {
  const code = systemCode(error.cause);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused. Is it running (systemctl status edge-license-agent)? Elsewhere: --url or --socket';
    case 'ENOENT':
      return 'no such socket. Is it running, with http.socket.path set to this path?';
    case 'EACCES':
    case 'EPERM':
      return "permission denied. The socket's mode and group (http.socket) decide who may connect";
    case 'TimeoutError':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'no answer in time. Is it stopped or overloaded?';
    case null:
      return 'no answer. Is it running? Elsewhere: --url or --socket';
    default:
      return `${code}. Is it running? Elsewhere: --url or --socket`;
  }
}

/**
 * The system or undici code under the client's error; a timeout is the abort's `TimeoutError`.
 * Node reports a refused `localhost` as an AggregateError whose parts carry the code.
 */
function systemCode(cause: unknown): string | null {
  let current = cause;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    if (current.name === 'TimeoutError') return current.name;
    current = current instanceof AggregateError ? (current.errors[0] as unknown) : current.cause;
  }
  return null;
}
