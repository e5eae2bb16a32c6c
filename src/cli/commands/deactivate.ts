import type { Command } from '../command.js';

export const DEACTIVATE_OPTIONS = {
  config: {
    type: 'string',
    arg: 'FILE',
    text: "the agent's config: licence server, credentials, state directory (default: $ELA_CONFIG, else /etc/edge-license-agent/agent.yaml)",
  },
  'key-from': {
    type: 'string',
    arg: 'FILE',
    text: 'give back the activation of the licence key in FILE (never on the command line)',
  },
  all: {
    type: 'boolean',
    text: 'give back every key-based licence device_licenses lists for this hardware ID',
  },
  yes: { type: 'boolean', short: 'y', text: 'do not ask first (needed off a terminal)' },
} as const;

export const deactivate: Command<typeof DEACTIVATE_OPTIONS> = {
  path: ['deactivate'],
  summary: "give this device's licence activations back, when it is decommissioned",
  positionals: [],
  options: DEACTIVATE_OPTIONS,
  help: `Calls deactivate_license for this device's hardware ID (as the agent presents it) for the key
in --key-from FILE, or with --all for every key-based licence device_licenses lists for it, so
that another device can activate them. Asks first on a terminal; off one it needs --yes. Prints
each licence given back (product, licence ID, the key's last four characters) and each that was
not, with the server's code. Stop the agent first, or it may activate a key from
licensespring.activate again.
Exit: 0 every activation given back; 1 the server refused one; 64 usage (neither --key-from nor
--all, or no --yes off a terminal); 66 the key file cannot be read; 69 the licence server cannot
be reached (or the config names the sandbox, which lives inside the agent); 78 config.`,
  run: async (args, io) =>
    (await import('../deactivate-command.js')).deactivateCommand(args.values, io),
};
