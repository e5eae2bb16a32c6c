import { CONNECTION_OPTIONS, JSON_OPTION, type Command } from '../command.js';

const CHECK_OPTIONS = { ...CONNECTION_OPTIONS, ...JSON_OPTION } as const;

export const check: Command<typeof CHECK_OPTIONS> = {
  path: ['check'],
  summary: 'exit 0 if a feature is allowed, 1 if not, 2 if no answer',
  positionals: [{ name: 'feature', required: true }],
  options: CHECK_OPTIONS,
  help: `For shell scripts: \`if edge-license-agent check reporting >/dev/null; then ...\`.
Prints one line: "<feature>: allowed|denied (<state>, <reason>[, until <expiry>])"
(--json: the agent's GET /v1/features/<feature> answer).
Exit: 0 allowed; 1 denied; 2 no answer (the agent is down, wants a token, or is not the agent);
64 usage; 78 a token file that cannot be read.`,
  run: async (args, io) =>
    (await import('../check-command.js')).checkCommand(args.positionals[0] ?? '', args.values, io),
};
