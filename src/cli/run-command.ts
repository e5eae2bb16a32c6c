import { runAgentUntilStopped } from '../app/lifecycle.js';
import { loadConfig } from '../config/load-config.js';
import { isAgentError } from '../domain/agent-error.js';
import { EXIT, EXIT_FOR_AGENT_ERROR } from './exit-codes.js';
import { configPath, println, type CliIo } from './io.js';

export interface RunValues {
  readonly config?: string | undefined;
}

/** `run`: start the agent and keep it running until SIGTERM or SIGINT. */
export async function runCommand(values: RunValues, io: CliIo): Promise<number> {
  try {
    const path = configPath(values.config, io.env).path;
    await runAgentUntilStopped(() => loadConfig({ path, env: io.env }));
    return EXIT.ok;
  } catch (error) {
    if (!isAgentError(error)) throw error;
    println(io.stderr, `edge-license-agent: ${error.message}`);
    return EXIT_FOR_AGENT_ERROR[error.code];
  }
}
