import { spawn } from 'node:child_process';
import type { Logger } from '../../agent/ports.js';

/** The state a service manager is told: `READY=1`, `STATUS=...`, `WATCHDOG=1`, and so on. */
export type NotifyFields = Readonly<Record<string, string>>;

/** Sends sd_notify messages in the order asked; a message that cannot be sent is logged, not thrown. */
export interface NotifySocket {
  send(fields: NotifyFields): void;
  /** Resolves once every message asked for so far has been handed over (or given up on). */
  settled(): Promise<void>;
}

export interface NotifySocketOptions {
  /** $NOTIFY_SOCKET, as systemd set it. */
  readonly socket: string;
  readonly log: Logger;
  /** The helper that sends the datagram; systemd ships it wherever it sets $NOTIFY_SOCKET. */
  readonly command?: string;
}

export const SYSTEMD_NOTIFY = '/usr/bin/systemd-notify';
/** systemd-notify waits up to 5 s for systemd to confirm; a helper past that is stuck. */
const HELPER_TIMEOUT_MS = 10_000;

/**
 * Node cannot open a Unix datagram socket, so each message is sent by `systemd-notify`
 * (docs/decisions/0005-systemd-notify-helper.md). Its barrier (it waits, unless --no-block, until
 * systemd has read the message) is what lets systemd attribute the message to the unit while the
 * helper still lives; the unit says NotifyAccess=all because the sender is the helper, not the
 * main process. Messages go one at a time so that RELOADING=1 can never overtake READY=1.
 */
export function notifySocket(options: NotifySocketOptions): NotifySocket {
  const command = options.command ?? SYSTEMD_NOTIFY;
  let chain: Promise<void> = Promise.resolve();
  let warned = false;
  return {
    send(fields) {
      const args = Object.entries(fields).map(([key, value]) => `${key}=${oneLine(value)}`);
      chain = chain.then(() =>
        runHelper(command, args, options.socket).catch((error: unknown) => {
          // Said once: a helper that fails will fail for every watchdog ping after.
          if (warned) return;
          warned = true;
          options.log.warn(
            { err: error, command, fields: Object.keys(fields) },
            'could not notify systemd: readiness, status and watchdog pings may not reach it',
          );
        }),
      );
    },
    settled: () => chain,
  };
}

function runHelper(command: string, args: readonly string[], socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { NOTIFY_SOCKET: socket },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: HELPER_TIMEOUT_MS,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${command} ended with ${signal ?? `exit code ${String(code)}`}: ${stderr.trim()}`,
          ),
        );
    });
  });
}

/** sd_notify is newline-separated: a newline inside a value would start a new assignment. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
