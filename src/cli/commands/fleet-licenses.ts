import type { Command, OptionSpecs } from '../command.js';

const FLEET_CONFIG_OPTION = {
  config: {
    type: 'string',
    arg: 'FILE',
    text: 'the config file, for licensespring.management (default: $ELA_CONFIG, else /etc/edge-license-agent/agent.yaml)',
  },
} as const satisfies OptionSpecs;

export const FLEET_LICENSES_OPTIONS = {
  ...FLEET_CONFIG_OPTION,
  filter: {
    type: 'string',
    arg: 'FIELD[__LOOKUP]=VALUE',
    multiple: true,
    text: 'a documented Management API filter, e.g. customer_email__icontains=acme; repeat for more',
  },
  'order-by': {
    type: 'string',
    arg: '[-]FIELD',
    text: 'order by a licence attribute; descending: --order-by=-FIELD (default: id, which pages exactly once)',
  },
  limit: { type: 'string', arg: 'N', text: 'stop after N licences (default: all)' },
  'this-device': {
    type: 'boolean',
    text: "only licences bound to this device's hardware ID (as `hwid` shows it)",
  },
  json: { type: 'boolean', text: 'one licence per line as JSON (NDJSON), streamed' },
  csv: { type: 'boolean', text: 'CSV with a header line, streamed' },
  'show-keys': { type: 'boolean', text: 'print licence keys whole (default: masked, …WU13)' },
} as const satisfies OptionSpecs;

export const fleetLicenses: Command<typeof FLEET_LICENSES_OPTIONS> = {
  path: ['fleet', 'licenses'],
  summary: "list the company's licences from the LicenseSpring Management API",
  positionals: [],
  options: FLEET_LICENSES_OPTIONS,
  help: `Lists GET /api/v1/licenses/ of the Management API named by licensespring.management (the
built-in sandbox's imitation when licensespring.baseUrl is sandbox), 100 licences a page, each
licence once, written as pages arrive: a table (licence keys masked unless --show-keys), --json or
--csv. Filters and --order-by are checked against the documented lists before any request.
The API key is read from licensespring.management.apiKey (a file or systemd credential), never
from the command line. A 429 is waited out up to licensespring.management.maxRetryAfterSeconds.
Exit: 0 listed; 2 the Management API could not be asked or answered wrongly; 64 usage (an unknown
filter or attribute); 78 config, or the API key is missing or refused (401/403).`,
  run: async (args, io) =>
    (await import('../fleet/licenses-command.js')).fleetLicensesCommand(args.values, io),
};
