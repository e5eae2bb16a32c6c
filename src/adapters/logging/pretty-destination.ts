import { pino, type DestinationStream } from 'pino';
import { prettyLine } from './pretty-line.js';

/** A stream that receives pino's lines and writes them, made readable, to `inner`. */
export interface PrettyDestination extends DestinationStream {
  flush(callback: (error?: Error) => void): void;
}

/**
 * `log.format: pretty` without pino-pretty's worker thread: each line pino writes is turned into
 * text in the same call and handed to the same buffered stdout pino itself would use.
 */
export function prettyDestination(
  inner: DestinationStream | NodeJS.WritableStream = pino.destination({ dest: 1, sync: false }),
): PrettyDestination {
  return {
    write: (line: string) => {
      inner.write(prettyLine(line));
    },
    flush: (callback) => {
      const flushable = inner as { flush?: (cb: (error?: Error | null) => void) => void };
      if (typeof flushable.flush !== 'function') {
        callback();
        return;
      }
      flushable.flush((error) => {
        callback(error ?? undefined);
      });
    },
  };
}
