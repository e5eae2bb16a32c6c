import { CONNECTION_OPTIONS, JSON_OPTION, type Command } from '../command.js';

const REFRESH_OPTIONS = { ...CONNECTION_OPTIONS, ...JSON_OPTION } as const;

export const refresh: Command<typeof REFRESH_OPTIONS> = {
  path: ['refresh'],
  summary: 'sync with the licence server now and wait for the result',
  positionals: [],
  options: REFRESH_OPTIONS,
  help: `Asks the agent to sync (POST /v1/refresh) and prints the sync's report:
"sync ok|partial|failed at <time> (device_licenses: <outcome>)" (--json: the report as JSON).
Every sync is paid from the company's licence-server quota, so the agent turns a refresh asked
for within 10 s of the last one away (HTTP 429): the CLI says so and when to try again.
Exit: 0 the sync was ok; 1 it finished partial or failed; 2 the agent could not be asked or
turned the refresh away; 64 usage; 78 a token file that cannot be read.`,
  run: async (args, io) => (await import('../refresh-command.js')).refreshCommand(args.values, io),
};
