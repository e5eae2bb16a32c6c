import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { EXIT } from './exit-codes.js';
import { complain, println, type CliIo } from './io.js';

/** `config validate [FILE]`: the same checks as `run`, without starting anything. */
export async function configValidateCommand(path: string, io: CliIo): Promise<number> {
  try {
    const config = await loadConfig({ path, env: io.env });
    const upstream =
      config.upstream.kind === 'sandbox' ? 'the built-in sandbox' : config.upstream.baseUrl;
    println(
      io.stdout,
      `${path}: valid (upstream: ${upstream}, product: ${config.product ?? 'every product'})`,
    );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    complain(io, error.message);
    return EXIT.config;
  }
}
