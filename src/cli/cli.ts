import { parseArgs, type ParseArgsConfig } from 'node:util';
import { agentVersion } from '../app/version.js';
import { EXIT, println, type CliIo } from './io.js';

const USAGE = `usage: edge-license-agent <command> [options]

commands:
  run [--config FILE]                 run the agent (config: $ELA_CONFIG or /etc/edge-license-agent/agent.yaml)
  status [--url URL] [--json]         show licences, features and the last sync of a running agent
  check <feature> [--url URL]         exit 0 if the feature is allowed, 1 if not, 2 on error
  hwid [--config FILE] [--json]       print this device's hardware ID and the facts it comes from
  config validate FILE                check a config file without starting
  sandbox [--host H] [--port N]       serve a local imitation of the LicenseSpring License API
  version                             print the version

The local API URL defaults to $ELA_URL or http://127.0.0.1:7311.`;

const options = {
  config: { type: 'string' },
  url: { type: 'string' },
  json: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  'public-key-out': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

export type CliValues = ReturnType<typeof parse>['values'];

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
}

/**
 * Parses argv, runs one command, returns its exit code. Never throws. Commands are imported when
 * chosen: `check` in a shell script should not pay for loading the whole agent.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    println(io.stderr, `edge-license-agent: ${(error as Error).message}`);
    println(io.stderr, USAGE);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    println(command === undefined && values.help !== true ? io.stderr : io.stdout, USAGE);
    return command === undefined && values.help !== true ? EXIT.usage : EXIT.ok;
  }
  try {
    switch (command) {
      case 'run':
        return await (await import('./run-command.js')).runCommand(values, io);
      case 'status':
        return await (await import('./status-command.js')).statusCommand(values, io);
      case 'check':
        return await (await import('./check-command.js')).checkCommand(rest[0], values, io);
      case 'hwid':
        return await (await import('./hwid-command.js')).hwidCommand(values, io);
      case 'config':
        if (rest[0] !== 'validate') break;
        return await (
          await import('./config-validate-command.js')
        ).configValidateCommand(rest[1] ?? values.config, io);
      case 'sandbox':
        return await (await import('./sandbox-command.js')).sandboxCommand(values, io);
      case 'version':
        println(io.stdout, agentVersion());
        return EXIT.ok;
      default:
        break;
    }
  } catch (error) {
    // The last line of defence: one line, no stack trace.
    println(io.stderr, `edge-license-agent: ${(error as Error).message}`);
    return EXIT.error;
  }
  println(io.stderr, `edge-license-agent: unknown command: ${positionals.join(' ')}`);
  println(io.stderr, USAGE);
  return EXIT.usage;
}
