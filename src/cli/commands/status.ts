import { CONNECTION_OPTIONS, JSON_OPTION, type Command } from '../command.js';

const STATUS_OPTIONS = { ...CONNECTION_OPTIONS, ...JSON_OPTION } as const;

export const status: Command<typeof STATUS_OPTIONS> = {
  path: ['status'],
  summary: 'show the licences, features and last sync of the running agent',
  positionals: [],
  options: STATUS_OPTIONS,
  help: `Prints the hardware ID, the upstream, the last sync, the offline grace left, then a table
of licences and a table of features (--json: the agent's GET /v1/status answer).
Exit: 0 ready; 1 the agent answers but is not ready (no answer from the licence server yet);
2 the agent could not be asked; 64 usage; 78 a token file that cannot be read.`,
  run: async (args, io) => (await import('../status-command.js')).statusCommand(args.values, io),
};
