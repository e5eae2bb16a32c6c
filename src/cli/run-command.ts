import { runAgentUntilStopped } from '../app/lifecycle.js';
import { loadConfig } from '../config/load-config.js';
import { isAgentError } from '../domain/agent-error.js';
import { AGENT_EXIT } from './agent-exit-codes.js';
import type { CliValues } from './cli.js';
import { configPath, EXIT, println, type CliIo } from './io.js';

/** `run`: start the agent and keep it running until SIGTERM or SIGINT. */
export async function runCommand(values: CliValues, io: CliIo): Promise<number> {
  try {
    const config = await loadConfig({ path: configPath(values.config, io.env), env: io.env });
    await runAgentUntilStopped(config);
    return EXIT.ok;
  } catch (error) {
    if (!isAgentError(error)) throw error;
    println(io.stderr, `edge-license-agent: ${error.message}`);
    return AGENT_EXIT[error.code];
  }
}
