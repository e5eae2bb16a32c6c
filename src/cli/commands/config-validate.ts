import type { Command, OptionSpecs } from '../command.js';

const CONFIG_VALIDATE_OPTIONS = {
  config: {
    type: 'string',
    arg: 'FILE',
    text: 'the config file, when FILE is not given (default: $ELA_CONFIG, else /etc/edge-license-agent/agent.yaml)',
  },
} as const satisfies OptionSpecs;

export const configValidate: Command<typeof CONFIG_VALIDATE_OPTIONS> = {
  path: ['config', 'validate'],
  summary: 'check a config file without starting the agent',
  positionals: [{ name: 'file', required: false }],
  options: CONFIG_VALIDATE_OPTIONS,
  help: `Runs the checks run does, environment overrides included, and prints
"<file>: valid (upstream: ..., product: ...)", or one line naming every invalid key.
Exit: 0 valid; 78 invalid or unreadable.`,
  run: async (args, io) => {
    const [{ configValidateCommand }, { configPath }] = await Promise.all([
      import('../config-validate-command.js'),
      import('../io.js'),
    ]);
    const path = args.positionals[0] ?? configPath(args.values.config, io.env).path;
    return configValidateCommand(path, io);
  },
};
