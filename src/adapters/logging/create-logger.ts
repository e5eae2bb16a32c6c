import { pino, type DestinationStream, type LevelWithSilent, type Logger as Pino } from 'pino';
import type { LogFields, Logger } from '../../agent/ports.js';
import { REDACT_PATHS, REDACTED } from './redaction.js';

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** Where JSON lines go; stdout (asynchronously buffered) when omitted. */
  readonly destination?: DestinationStream | NodeJS.WritableStream;
  /** Fields on every line. Replaces pino's default `pid` and `hostname` when given. */
  readonly base?: LogFields;
}

/** The root logger: the port, plus a flush for shutdown since stdout writes are buffered. */
export interface RootLogger extends Logger {
  /**
   * Asks the destination to write out what it buffers. pino also flushes its own stdout
   * destination synchronously on process exit; this is for an orderly shutdown before that.
   */
  flush(): Promise<void>;
}

export function createLogger(options: LoggerOptions): RootLogger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const root = pino(
    {
      level: options.level,
      ...(options.base === undefined ? {} : { base: { ...options.base } }),
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      // `"level":"warn"` rather than `40`: readable in journalctl and filterable by log shippers.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return {
    ...wrap(root),
    flush: () =>
      new Promise((resolve, reject) => {
        // sonic-boom reports success as `null` after an fsync, not `undefined` as pino's types say.
        root.flush((error) => {
          if (error instanceof Error) reject(error);
          else resolve();
        });
      }),
  };
}

/** Children are created by pino, so they inherit its redaction and level. */
function wrap(logger: Pino): Logger {
  return {
    debug: (fields, message) => {
      logger.debug(fields, message);
    },
    info: (fields, message) => {
      logger.info(fields, message);
    },
    warn: (fields, message) => {
      logger.warn(fields, message);
    },
    error: (fields, message) => {
      logger.error(fields, message);
    },
    child: (bindings) => wrap(logger.child({ ...bindings })),
  };
}
