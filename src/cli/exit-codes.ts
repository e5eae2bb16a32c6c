import type { AgentClientErrorCode } from '../client/client-error.js';

/**
 * The CLI's exit codes, for every command. 1 is "the agent answered, and the answer is no"; 2 is
 * "no answer could be had", so a script can tell a denial from an outage. 64 and 78 are
 * sysexits' EX_USAGE and EX_CONFIG; the systemd unit tells systemd not to restart on 78.
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
