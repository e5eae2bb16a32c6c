import { serviceNotifier, type ServiceNotifier } from '../adapters/systemd/service-notifier.js';
import { statusText } from '../adapters/systemd/status-text.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { ReloadOutcome } from './reload.js';
import { startAgent, type AgentOverrides, type RunningAgent } from './start-agent.js';

/** Every signal the agent answers. Each would otherwise end the process or open a debugger. */
export const HANDLED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGUSR1', 'SIGUSR2', 'SIGHUP'] as const;
export type HandledSignal = (typeof HANDLED_SIGNALS)[number];

/** Where signals come from: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: HandledSignal, listener: () => void): unknown;
  off(signal: HandledSignal, listener: () => void): unknown;
}

export interface LifecycleOptions {
  readonly signals?: SignalSource;
  readonly overrides?: AgentOverrides;
  /** Called once the agent is started, with what a service manager would be told. */
  readonly onStarted?: (agent: RunningAgent) => void;
  /** The service manager to tell; by default systemd's, when $NOTIFY_SOCKET says it listens. */
  readonly notifier?: (agent: RunningAgent) => ServiceNotifier;
}

/**
 * The agent's life as a process. Every signal handler is installed before anything else happens,
 * so that no signal that arrives while the config loads or the agent starts gets Node's default
 * action: SIGUSR1 would open the inspector on 127.0.0.1:9229 for the life of the process, and
 * SIGHUP or SIGUSR2 would end it without a word.
 *
 * - SIGTERM, SIGINT: stop (during the start: stop as soon as it is done).
 * - SIGUSR1: sync now (`systemctl kill -s USR1 edge-license-agent`); during the start, nothing to
 *   do, since the start syncs anyway.
 * - SIGHUP: reload the configuration (`systemctl reload`), between RELOADING=1 and READY=1; one
 *   during the start is said and dropped, since the start reads the file anyway.
 * - SIGUSR2: ignored, and said.
 *
 * Under systemd (Type=notify) it says READY=1 once the local API answers from a decision, saved
 * or fresh; keeps STATUS= current after every sync; pings the watchdog; says STOPPING=1 on stop.
 *
 * A failure to start rejects with the AgentError that says why; the command line turns it into
 * an exit code. Signal handling lives here and nowhere else.
 */
export async function runAgentUntilStopped(
  loadConfig: () => Promise<ResolvedConfig>,
  options: LifecycleOptions = {},
): Promise<void> {
  const signals = options.signals ?? process;
  let agent: RunningAgent | null = null;
  /** Signals that came before there was a log to say so in. */
  const early: HandledSignal[] = [];
  let notifier: ServiceNotifier | null = null;
  let stop: () => void = () => undefined;
  const stopAsked = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const handlers = new Map<HandledSignal, () => void>(
    HANDLED_SIGNALS.map((signal) => [
      signal,
      () => {
        onSignal(signal);
      },
    ]),
  );
  for (const [signal, handler] of handlers) signals.on(signal, handler);

  function onSignal(signal: HandledSignal): void {
    if (signal === 'SIGTERM' || signal === 'SIGINT') {
      stop();
      return;
    }
    if (agent === null || notifier === null) early.push(signal);
    else answer(agent, notifier, signal, loadConfig, tellState);
  }

  let announcedReady = false;
  /**
   * READY=1 with the status once the local API answers from a decision (the saved state, or the
   * server's answer), and again to end a reload; otherwise only the status, which says what the
   * agent waits for or how the last sync went.
   */
  const tellState = (afterReload = false): void => {
    if (agent === null || notifier === null) return;
    const text = statusText(agent.view.status());
    if (agent.view.ready() && (afterReload || !announcedReady)) {
      announcedReady = true;
      notifier.ready(text);
    } else notifier.status(text);
  };

  let stopWatchdog: () => void = () => undefined;
  try {
    const started = await startAgent(await loadConfig(), options.overrides, {
      onSynced: () => {
        tellState();
      },
    });
    agent = started;
    notifier = (options.notifier ?? systemdNotifier)(started);
    stopWatchdog = notifier.startWatchdog();
    for (const signal of early.splice(0)) started.log.info({ signal }, 'signal during start');
    tellState();
    options.onStarted?.(started);
    await stopAsked;
    notifier.stopping();
    await started.stop();
  } finally {
    stopWatchdog();
    // The last word (STOPPING=1) reaches systemd before the process ends.
    await notifier?.settled();
    for (const [signal, handler] of handlers) signals.off(signal, handler);
  }
}

function systemdNotifier(agent: RunningAgent): ServiceNotifier {
  return serviceNotifier({
    env: process.env,
    pid: process.pid,
    log: agent.log,
    monotonicUsec: () => process.hrtime.bigint() / 1000n,
  });
}

function answer(
  agent: RunningAgent,
  notifier: ServiceNotifier,
  signal: Exclude<HandledSignal, 'SIGTERM' | 'SIGINT'>,
  loadConfig: () => Promise<ResolvedConfig>,
  tellState: (afterReload: boolean) => void,
): void {
  switch (signal) {
    case 'SIGUSR1':
      // A refresh that fails is logged by the sync loop; a signal has nobody to answer.
      agent.refresh('signal').catch(() => undefined);
      return;
    case 'SIGHUP':
      agent.log.info({ signal }, 'SIGHUP: reloading the configuration');
      notifier.reloading();
      agent
        .reload(loadConfig)
        .catch((error: unknown): ReloadOutcome => {
          agent.log.error({ err: error }, 'reload crashed; the running configuration stays');
          return { kind: 'not-applied', code: 'unknown' };
        })
        .then(() => {
          // Whatever became of it, the agent runs on (old or new config): systemd hears so.
          tellState(true);
        })
        .catch(() => undefined);
      return;
    case 'SIGUSR2':
      agent.log.warn({ signal }, 'SIGUSR2 ignored: the agent has no use for it');
      return;
    default: {
      const never: never = signal;
      return never;
    }
  }
}
