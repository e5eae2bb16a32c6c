import type { ResolvedConfig } from '../config/resolved-config.js';
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
 * - SIGHUP: would reload the configuration; not supported yet, so said and ignored.
 * - SIGUSR2: ignored, and said.
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
    if (agent === null) early.push(signal);
    else answer(agent, signal);
  }

  try {
    agent = await startAgent(await loadConfig(), options.overrides);
    for (const signal of early.splice(0)) agent.log.info({ signal }, 'signal during start');
    options.onStarted?.(agent);
    await stopAsked;
    await agent.stop();
  } finally {
    for (const [signal, handler] of handlers) signals.off(signal, handler);
  }
}

function answer(agent: RunningAgent, signal: Exclude<HandledSignal, 'SIGTERM' | 'SIGINT'>): void {
  switch (signal) {
    case 'SIGUSR1':
      // A refresh that fails is logged by the sync loop; a signal has nobody to answer.
      agent.refresh().catch(() => undefined);
      return;
    case 'SIGHUP':
      agent.log.warn(
        { signal },
        'SIGHUP: reloading the configuration is not supported yet; restart the service to apply it',
      );
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
