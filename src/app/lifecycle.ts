import type { ResolvedConfig } from '../config/resolved-config.js';
import { startAgent, type AgentOverrides, type RunningAgent } from './start-agent.js';

/** The signals the agent answers, and where they come from: the process, or a test's emitter. */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(signal: 'SIGUSR1', listener: () => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT' | 'SIGUSR1', listener: () => void): unknown;
}

export interface LifecycleOptions {
  readonly signals?: SignalSource;
  readonly overrides?: AgentOverrides;
  /** Called once the agent is started, with what a service manager would be told. */
  readonly onStarted?: (agent: RunningAgent) => void;
}

/**
 * The agent's life as a process: start it, answer signals, stop it in order. SIGTERM and SIGINT
 * stop it; SIGUSR1 syncs now (`systemctl kill -s USR1 edge-license-agent`). Signal handling lives
 * here and nowhere else. A failure to start rejects with the AgentError that says why; the
 * command line turns it into an exit code.
 */
export async function runAgentUntilStopped(
  config: ResolvedConfig,
  options: LifecycleOptions = {},
): Promise<void> {
  const signals = options.signals ?? process;
  const agent = await startAgent(config, options.overrides);
  options.onStarted?.(agent);
  const refresh = () => {
    // A refresh that fails is logged by the sync loop; a signal has nobody to answer.
    agent.refresh().catch(() => undefined);
  };
  let stop: () => void = () => undefined;
  const stopAsked = new Promise<void>((resolve) => {
    stop = resolve;
  });
  signals.on('SIGUSR1', refresh);
  signals.once('SIGTERM', stop);
  signals.once('SIGINT', stop);
  try {
    await stopAsked;
  } finally {
    signals.off('SIGUSR1', refresh);
    signals.off('SIGTERM', stop);
    signals.off('SIGINT', stop);
  }
  await agent.stop();
}
