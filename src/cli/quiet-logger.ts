import type { Logger } from '../agent/ports.js';

/**
 * For commands that print their own lines (`doctor`, `deactivate`): the upstream adapters they
 * use log warnings the command already says in its own words.
 */
export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quietLogger,
};
