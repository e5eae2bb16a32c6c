import { AgentError, isAgentError, type AgentErrorCode } from '../domain/agent-error.js';
import type { ResolvedConfig } from '../config/resolved-config.js';

/** What Node puts on a failed system call. */
interface SystemError {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly address?: string;
  readonly port?: number;
}

function systemError(error: unknown): SystemError | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? (error as SystemError) : null;
}

/**
 * A failure to use the state directory, named as the path and setting at fault. Every errno is
 * the directory's: an unwritable, read-only, full or missing directory is not a listen problem.
 */
export function stateDirectoryError(error: unknown, config: ResolvedConfig): unknown {
  const found = systemError(error);
  if (isAgentError(error) || found === null) return error;
  const what = found.path === undefined ? '' : ` ${found.path}`;
  return new AgentError(
    'state_directory_unusable',
    `stateDirectory (${config.stateDirectory}): cannot ${found.syscall ?? 'use'}${what}: ${found.code}`,
    { cause: error },
  );
}

/** Why the local API could not listen, named as the setting at fault. */
export function listenError(error: unknown, config: ResolvedConfig): unknown {
  const found = systemError(error);
  if (isAgentError(error) || found === null) return error;
  const socket = config.http.socket;
  const onSocket = socket !== null && found.address === socket.path;
  if (found.code === 'ENOGROUP' && socket !== null) {
    return new AgentError(
      'socket_group_unknown',
      `http.socket.group: no group ${String(socket.group)} on this machine`,
      { cause: error },
    );
  }
  const code = listenCodes[found.code];
  if (code === undefined) return error;
  const where = onSocket
    ? `http.socket.path (${socket.path})`
    : `http.host / http.port (${config.http.host}:${String(config.http.port)})`;
  const hint = onSocket ? socketHints[code] : tcpHints[code];
  return new AgentError(code, `cannot listen on ${where}: ${found.code} (${hint})`, {
    cause: error,
  });
}

const listenCodes: Readonly<Record<string, AgentErrorCode>> = {
  EADDRINUSE: 'listen_address_in_use',
  EADDRNOTAVAIL: 'listen_address_unavailable',
  ENOENT: 'listen_address_unavailable',
  EACCES: 'listen_not_permitted',
  EPERM: 'listen_not_permitted',
};

const tcpHints: Readonly<Partial<Record<AgentErrorCode, string>>> = {
  listen_address_in_use: 'another process listens there',
  listen_address_unavailable: 'no such address on this machine, or not yet',
  listen_not_permitted: 'a port below 1024 needs privileges this user lacks',
};

const socketHints: Readonly<Partial<Record<AgentErrorCode, string>>> = {
  listen_address_in_use: 'another process serves that socket',
  listen_address_unavailable: 'its directory does not exist',
  listen_not_permitted: 'its directory must exist and be writable by this user',
};
