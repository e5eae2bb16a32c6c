import { pino, type DestinationStream, type LevelWithSilent, type Logger as Pino } from 'pino';
import type { LogFields, Logger } from '../../agent/ports.js';
import { prettyDestination } from './pretty-destination.js';
import { REDACT_PATHS, REDACTED } from './redaction.js';

/** json: one JSON object a line (journald, log shippers); pretty: one readable line, for a terminal. */
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** json when omitted. */
  readonly format?: LogFormat;
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
  /** Changes the level of this logger and of every child made from it (a reload). */
  setLevel(level: LevelWithSilent): void;
}

export function createLogger(options: LoggerOptions): RootLogger {
  const raw = options.destination ?? pino.destination({ dest: 1, sync: false });
  const destination = options.format === 'pretty' ? prettyDestination(raw) : raw;
  // pino copies the level into a child when it is made; a reload reaches them all through this.
  // The agent makes its children at start (one per component), so the set stays small.
  const family = new Set<Pino>();
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
  family.add(root);
  return {
    ...wrap(root, family),
    setLevel: (level) => {
      for (const logger of family) logger.level = level;
    },
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
function wrap(logger: Pino, family: Set<Pino>): Logger {
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
    child: (bindings) => {
      const child = logger.child({ ...bindings });
      family.add(child);
      return wrap(child, family);
    },
  };
}
