import type { Logger } from '../../agent/ports.js';
import { notifySocket, type NotifySocket } from './notify-socket.js';
import { watchdogIntervalMs } from './watchdog.js';

/** What the agent tells its service manager. Without systemd, every call does nothing. */
export interface ServiceNotifier {
  ready(status: string): void;
  status(status: string): void;
  reloading(): void;
  stopping(): void;
  /** Pings the watchdog from the event loop until stopped, when systemd asked for pings. */
  startWatchdog(): () => void;
  settled(): Promise<void>;
}

export interface ServiceNotifierOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly pid: number;
  readonly log: Logger;
  /** CLOCK_MONOTONIC in microseconds, as systemd reads RELOADING=1's MONOTONIC_USEC. */
  readonly monotonicUsec: () => bigint;
  readonly command?: string;
}

/** A notifier for $NOTIFY_SOCKET when systemd set it (Type=notify), else one that does nothing. */
export function serviceNotifier(options: ServiceNotifierOptions): ServiceNotifier {
  const socket = options.env['NOTIFY_SOCKET'];
  if (socket === undefined || socket === '') return silentNotifier;
  const sender: NotifySocket = notifySocket({
    socket,
    log: options.log,
    ...(options.command === undefined ? {} : { command: options.command }),
  });
  const intervalMs = watchdogIntervalMs(options.env, options.pid);
  return {
    ready: (status) => {
      sender.send({ READY: '1', STATUS: status });
    },
    status: (status) => {
      sender.send({ STATUS: status });
    },
    reloading: () => {
      // systemd 253 and later match RELOADING=1 to the reload it asked for by this timestamp.
      sender.send({
        RELOADING: '1',
        MONOTONIC_USEC: String(options.monotonicUsec()),
        STATUS: 'reloading the configuration',
      });
    },
    stopping: () => {
      sender.send({ STOPPING: '1', STATUS: 'stopping' });
    },
    startWatchdog: () => {
      if (intervalMs === null) return () => undefined;
      // From a timer on the event loop: a loop wedged by a bug stops the pings, and systemd
      // restarts the service (WatchdogSec=). unref: the pings alone do not keep the process up.
      const timer = setInterval(() => {
        sender.send({ WATCHDOG: '1' });
      }, intervalMs);
      timer.unref();
      return () => {
        clearInterval(timer);
      };
    },
    settled: () => sender.settled(),
  };
}

const silentNotifier: ServiceNotifier = {
  ready: () => undefined,
  status: () => undefined,
  reloading: () => undefined,
  stopping: () => undefined,
  startWatchdog: () => () => undefined,
  settled: () => Promise.resolve(),
};
