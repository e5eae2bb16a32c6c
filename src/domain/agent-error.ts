/**
 * Every way the agent itself fails, as one stable code. Callers branch on `code`, never on the
 * message; each surface has one table from these codes to what it says: the local API an HTTP
 * status (adapters/http-api), the command line an exit code (cli/exit-codes).
 */
export type AgentErrorCode =
  /** The config file cannot be read. */
  | 'config_unreadable'
  /** The config file is not YAML, or not a mapping. */
  | 'config_syntax'
  /** A key is missing, misspelt or out of range; a secret or key file cannot be read. */
  | 'config_invalid'
  /** No machine fact identifies the device and no `device.hardwareId` is set. */
  | 'device_unidentifiable'
  /** The state directory (or a file in it) cannot be created, read or written. */
  | 'state_directory_unusable'
  /** Another agent runs on the same state directory: may clear when it stops. */
  | 'state_directory_locked'
  /** The device secret exists but cannot be read: a permissions mistake, not tampering. */
  | 'device_secret_unreadable'
  /** The agent built a state that does not pass its own schema: a bug. */
  | 'invalid_state'
  /** Another process listens on `http.host`/`http.port` (or the socket path): may clear by itself. */
  | 'listen_address_in_use'
  /** `http.host` is not an address of this machine (yet: at boot, it may appear later). */
  | 'listen_address_unavailable'
  /** The agent may not listen there: a privileged port, or a socket directory it cannot write. */
  | 'listen_not_permitted'
  /** `http.socket.group` names no group on this machine. */
  | 'socket_group_unknown'
  /** The agent is shutting down and starts nothing new. */
  | 'agent_stopping';

/** An agent failure with a stable code; the message is one line for a person and names the setting. */
export class AgentError extends Error {
  override readonly name: string = 'AgentError';

  constructor(
    readonly code: AgentErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAgentError(error: unknown): error is AgentError {
  return error instanceof AgentError;
}
