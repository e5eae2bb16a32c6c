import { JSON_OPTION, type Command, type OptionSpecs } from '../command.js';

export const HWID_OPTIONS = {
  config: {
    type: 'string',
    arg: 'FILE',
    text: 'the config file, as for run (default: $ELA_CONFIG, else /etc/edge-license-agent/agent.yaml)',
  },
  ...JSON_OPTION,
} as const satisfies OptionSpecs;

export const hwid: Command<typeof HWID_OPTIONS> = {
  path: ['hwid'],
  summary: "print this device's hardware ID and the facts it comes from",
  positionals: [],
  options: HWID_OPTIONS,
  help: `Prints the ID the agent uses, then how it comes by it: "override (device.hardwareId)",
"enrolled <date>, unchanged", "enrolled <date>, kept through a change of: mac", "composed from
machine facts (not enrolled yet)", ... It reads the config as run does and the enrolment in
<stateDirectory>/identity.json, and writes nothing. Without a config file at the default place
it still prints the ID composed from this machine's facts, and says no config was read.
Then each component (mac, machine-id, dmi-uuid) with where it was looked for, and every network
interface with why it was or was not the one whose MAC counts.
Exit: 0 printed; 2 no machine fact could be read and no override is set; 78 invalid config.`,
  run: async (args, io) => (await import('../hwid-command.js')).hwidCommand(args.values, io),
};
