import { startAgent } from '../app/start-agent.js';
import { UnidentifiableDeviceError } from '../agent/establish-identity.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { EXIT } from './exit-codes.js';
import { configPath, println, type CliIo } from './io.js';

export interface RunValues {
  readonly config?: string | undefined;
}

/** `run`: start the agent and keep it running until SIGTERM or SIGINT. */
export async function runCommand(values: RunValues, io: CliIo): Promise<number> {
  let agent: Awaited<ReturnType<typeof startAgent>>;
  try {
    const config = await loadConfig({ path: configPath(values.config, io.env).path, env: io.env });
    agent = await startAgent(config);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UnidentifiableDeviceError) {
      println(io.stderr, `edge-license-agent: ${error.message}`);
      return EXIT.config;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      println(io.stderr, `edge-license-agent: cannot listen: ${code} (http.host / http.port)`);
      return EXIT.config;
    }
    throw error;
  }
  // SIGUSR1: sync now (`systemctl kill -s USR1 edge-license-agent`).
  const refresh = () => {
    agent.refresh().catch(() => undefined);
  };
  process.on('SIGUSR1', refresh);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  process.off('SIGUSR1', refresh);
  await agent.stop();
  return EXIT.ok;
}
