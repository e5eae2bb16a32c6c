import type { AgentErrorCode } from '../domain/agent-error.js';

/**
 * The exit code `run` ends with when the agent cannot start, by why. sysexits(3) codes, so that
 * systemd tells them apart: 78 (EX_CONFIG) only where a retry cannot succeed until someone
 * changes the configuration (the unit's RestartPreventExitStatus=78); a port another process
 * holds, or an address not up yet at boot, may clear by itself and is restarted.
 */
export const AGENT_EXIT: Readonly<Record<AgentErrorCode, number>> = {
  config_unreadable: 78,
  config_syntax: 78,
  config_invalid: 78,
  device_unidentifiable: 78,
  socket_group_unknown: 78,
  listen_not_permitted: 78,
  // EX_CANTCREAT: an operator fixing the directory's owner or mode is picked up on the next restart.
  state_directory_unusable: 73,
  device_secret_unreadable: 73,
  // EX_TEMPFAIL: worth trying again.
  listen_address_in_use: 75,
  listen_address_unavailable: 75,
  // EX_SOFTWARE: the agent's own bug.
  invalid_state: 70,
  agent_stopping: 70,
};
