import type { AgentClientErrorCode } from '../client/client-error.js';
import type { AgentErrorCode } from '../domain/agent-error.js';

/**
 * The CLI's exit codes, for every command. 1 is "the agent answered, and the answer is no"; 2 is
 * "no answer could be had", so a script can tell a denial from an outage. 64 and 78 are
 * sysexits' EX_USAGE and EX_CONFIG; the systemd unit tells systemd not to restart on 78, so 78
 * is kept for what cannot succeed on a retry until someone changes the configuration.
 */
export const EXIT = {
  /** Allowed (`check`), ready (`status`), synced ok (`refresh`), done (the rest). */
  ok: 0,
  /** Denied (`check`), not ready yet (`status`), the sync finished partial or failed (`refresh`). */
  no: 1,
  /** No answer: the agent could not be asked, or did not answer as the agent does. */
  error: 2,
  /** The command line is wrong: an unknown command or option, a missing or extra argument. */
  usage: 64,
  /**
   * `lem`: what was given is wrong: an upload CSV that fails the local check, or a project or
   * device ID LEM does not know (EX_DATAERR).
   */
  dataErr: 65,
  /** `lem upload-csv`: the file cannot be read (EX_NOINPUT). */
  noInput: 66,
  /** `lem`: LEM cannot be reached, times out, answers 5xx or 429 (EX_UNAVAILABLE). */
  unavailable: 69,
  /** `run`: the agent's own bug (EX_SOFTWARE). */
  software: 70,
  /** `run`: the state directory, `lem report --out`: the file, cannot be written (EX_CANTCREAT). */
  cannotCreate: 73,
  /**
   * `run`: worth trying again: the port is held, the address is not up yet, or another agent
   * holds the state directory (EX_TEMPFAIL).
   */
  tempFail: 75,
  /** `lem`: LEM answered in a way its API does not document (EX_PROTOCOL). */
  protocol: 76,
  /** `lem`: LEM refused the token (401) or the token lacks the permission (403) (EX_NOPERM). */
  noPermission: 77,
  /** The configuration is wrong: a config file, a token file, a URL. */
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * How each way of failing to ask the agent ends the process. Every one is "no answer" (2): that is
 * `check`'s contract with shell scripts, and a script cannot fix a token by retrying anyway.
 */
export const EXIT_FOR_CLIENT_ERROR: Readonly<Record<AgentClientErrorCode, ExitCode>> = {
  agent_unavailable: EXIT.error,
  unauthorized: EXIT.error,
  bad_answer: EXIT.error,
  agent_error: EXIT.error,
  client_closed: EXIT.error,
};

/**
 * How `run` ends when the agent cannot start, by why. A port another process holds, or an address
 * not up yet at boot, may clear by itself and is restarted; an unusable state directory is
 * restarted too, so fixing its owner or mode is picked up without touching the service.
 */
export const EXIT_FOR_AGENT_ERROR: Readonly<Record<AgentErrorCode, ExitCode>> = {
  config_unreadable: EXIT.config,
  config_syntax: EXIT.config,
  config_invalid: EXIT.config,
  device_unidentifiable: EXIT.config,
  socket_group_unknown: EXIT.config,
  listen_not_permitted: EXIT.config,
  state_directory_unusable: EXIT.cannotCreate,
  device_secret_unreadable: EXIT.cannotCreate,
  listen_address_in_use: EXIT.tempFail,
  state_directory_locked: EXIT.tempFail,
  listen_address_unavailable: EXIT.tempFail,
  invalid_state: EXIT.software,
  agent_stopping: EXIT.software,
};
