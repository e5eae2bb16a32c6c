import type { Command, OptionSpecs } from '../command.js';

export const SANDBOX_OPTIONS = {
  host: { type: 'string', arg: 'HOST', text: 'the address to listen on (default: 127.0.0.1)' },
  port: { type: 'string', arg: 'PORT', text: 'the port (default: any free port)' },
  'public-key-out': {
    type: 'string',
    arg: 'FILE',
    text: "write the sandbox's signing public key (PEM) to FILE",
  },
} as const satisfies OptionSpecs;

export const sandbox: Command<typeof SANDBOX_OPTIONS> = {
  path: ['sandbox'],
  summary: 'serve a local imitation of the LicenseSpring License API',
  positionals: [],
  options: SANDBOX_OPTIONS,
  help: `Prints the sandbox's URL, token URL, its throw-away credentials and public key, then
serves until SIGTERM or SIGINT.
Exit: 0 after SIGTERM/SIGINT; 64 a --port that is not a port number.`,
  run: async (args, io) => (await import('../sandbox-command.js')).sandboxCommand(args.values, io),
};
