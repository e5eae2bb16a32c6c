import type { Logger } from '../../agent/ports.js';
import { complain, type CliIo } from '../io.js';

/**
 * The logger a `lem` command hands to connectLem: its warnings (the sandbox in use, TLS not
 * verified) are one line each on stderr, where a person at the terminal sees them; its fields
 * are not printed, so nothing a field might carry reaches the screen.
 */
export function stderrLogger(io: CliIo): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (_fields, message) => {
      complain(io, `warning: ${message}`);
    },
    error: (_fields, message) => {
      complain(io, message);
    },
    child: () => logger,
  };
  return logger;
}
