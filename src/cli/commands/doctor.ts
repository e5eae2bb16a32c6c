import { JSON_OPTION, type Command, type OptionSpecs } from '../command.js';

export const DOCTOR_OPTIONS = {
  config: {
    type: 'string',
    arg: 'FILE',
    text: 'the config file, as for run (default: $ELA_CONFIG, else /etc/edge-license-agent/agent.yaml)',
  },
  ...JSON_OPTION,
} as const satisfies OptionSpecs;

export const doctor: Command<typeof DOCTOR_OPTIONS> = {
  path: ['doctor'],
  summary: 'check the config, files, identity, saved state and upstreams, each with its fix',
  positionals: [],
  options: DOCTOR_OPTIONS,
  help: `Prints one line per check, "pass", "warn" or "FAIL", what was found and, unless it passed,
what to do: the config; the state directory, device.key and socket permissions; the hardware-ID
sources; the saved state (loads, decrypts, signatures verify); DNS, TLS and one authenticated
device_licenses call to the licence server; the clock against the server's Date; the Management
API's view of this device and LEM, when configured. It writes nothing. Run it as the agent's user or as root (the state is 0600).
--json: the checks as a JSON array of {id, status, detail, fix}.
Exit: 0 nothing failed (warnings allowed); 1 a check failed; 64 usage.`,
  run: async (args, io) => (await import('../doctor-command.js')).doctorCommand(args.values, io),
};
