import { CONNECTION_OPTIONS, type Command } from '../command.js';

export const health: Command<typeof CONNECTION_OPTIONS> = {
  path: ['health'],
  summary: 'exit 0 if the agent answers, for a container or service health check',
  positionals: [],
  options: CONNECTION_OPTIONS,
  help: `Asks the running agent for its status and prints one line: "ok: ready" or "ok: not ready
yet" (it answers, with no decision from the licence server yet). It finds the agent the way the
agent's own config says (--config, or $ELA_CONFIG as the container image sets it), so a health
check follows the configured port, socket and token.
Exit: 0 the agent answers; 2 it could not be asked; 64 usage; 78 a config or token file that
cannot be read.`,
  run: async (args, io) => (await import('../health-command.js')).healthCommand(args.values, io),
};
