import type { SystemFacts } from '../../agent/identity-ports.js';
import { createSystemFacts } from '../../adapters/system-facts/system-facts.js';
import { connectLem, type ConnectedLem } from '../../app/lem-upstream.js';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import type { LemSettings } from '../../config/resolved-config.js';
import { EXIT } from '../exit-codes.js';
import { complain, configPath, type CliIo } from '../io.js';
import { stderrLogger } from './stderr-logger.js';

export interface LemSessionOptions {
  /** `--config`; else $ELA_CONFIG, else the packaged location, as for `run`. */
  readonly config: string | undefined;
  /** Where the sandbox learns this machine's MAC; the hwid command's adapter by default. */
  readonly facts?: SystemFacts;
}

/** The `lem` section is optional for the daemon, and what every `lem` command is about. */
const NO_LEM_SECTION = new ConfigError('config_invalid', [
  {
    key: 'lem',
    message:
      "is not set, and the lem commands need it: lem.baseUrl (LEM's https URL, or sandbox), lem.projectId and lem.token",
    source: null,
  },
]);

/**
 * Reads the config as the daemon does, opens the LEM its `lem` section names (or starts the
 * built-in sandbox, bound to this machine's MAC), runs `work`, and closes what was opened.
 * A config that cannot be used is one line on stderr and exit 78.
 */
export async function withLem(
  options: LemSessionOptions,
  io: CliIo,
  work: (lem: ConnectedLem, signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const settings = await lemSettings(configPath(options.config, io.env).path, io.env);
  if (settings instanceof ConfigError) {
    complain(io, settings.message);
    return EXIT.config;
  }
  const mac =
    settings.upstream.kind === 'sandbox'
      ? await machineMac(
          options.facts ??
            createSystemFacts({ credentialsDirectory: io.env['CREDENTIALS_DIRECTORY'] }),
        )
      : null;
  const lem = await connectLem(settings, mac, stderrLogger(io));
  try {
    // A command has nothing to cancel: Ctrl-C ends the process, and the sandbox with it.
    return await work(lem, new AbortController().signal);
  } finally {
    await lem.close();
  }
}

async function lemSettings(
  path: string,
  env: NodeJS.ProcessEnv,
): Promise<LemSettings | ConfigError> {
  try {
    return (await loadConfig({ path, env })).lem ?? NO_LEM_SECTION;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

/** The MAC the hardware ID uses; none (a container without one) lets the sandbox pick its own. */
async function machineMac(facts: SystemFacts): Promise<string | null> {
  try {
    return (await facts.read()).components.mac;
  } catch {
    return null;
  }
}
