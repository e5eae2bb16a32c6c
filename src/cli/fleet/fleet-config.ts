import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { complain, configPath, type CliIo } from '../io.js';

/** The config as `run` reads it, or null after saying why on stderr. */
export async function loadFleetConfig(
  flag: string | undefined,
  io: CliIo,
): Promise<ResolvedConfig | null> {
  const choice = configPath(flag, io.env);
  try {
    return await loadConfig({ path: choice.path, env: io.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    complain(io, error.message);
    return null;
  }
}
