import { EXIT } from '../exit-codes.js';
import type { Command, OptionSpecs } from '../command.js';

const RUN_OPTIONS = {
  config: {
    type: 'string',
    arg: 'FILE',
    text: 'the config file (default: $ELA_CONFIG, else /etc/edge-license-agent/agent.yaml)',
  },
} as const satisfies OptionSpecs;

export const run: Command<typeof RUN_OPTIONS> = {
  path: ['run'],
  summary: 'run the agent until SIGTERM or SIGINT',
  positionals: [],
  options: RUN_OPTIONS,
  help: `Logs go to stdout as JSON. SIGUSR1 syncs now; SIGHUP and SIGUSR2 are logged and ignored.
Exit: 0 after SIGTERM/SIGINT; 78 when the config is invalid, the device has no hardware ID, or
the local API may not listen where configured; 73 when the state directory cannot be used; 75
when the port is held by another process or the address is not up yet (systemd retries);
70 on a bug.`,
  unexpectedExit: EXIT.software,
  run: async (args, io) => (await import('../run-command.js')).runCommand(args.values, io),
};
