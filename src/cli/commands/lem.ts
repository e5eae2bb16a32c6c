import { JSON_OPTION, type Command, type OptionSpecs } from '../command.js';

const CONFIG_OPTION = {
  config: {
    type: 'string',
    arg: 'FILE',
    text: 'the config file, as for run; its lem section says which LEM (default: $ELA_CONFIG, else /etc/edge-license-agent/agent.yaml)',
  },
} as const satisfies OptionSpecs;

const LISTING_OPTIONS = {
  ...CONFIG_OPTION,
  ...JSON_OPTION,
  csv: { type: 'boolean', text: 'print a CSV table with a header row instead' },
} as const satisfies OptionSpecs;

const FAILURES = `On a LEM failure, one line names it and what to do. Exit: 0 done; 64 usage;
65 LEM does not know the project or a device; 69 LEM unreachable, restarting (5xx) or
rate-limiting; 76 LEM answered what its API does not document; 77 the token is wrong or
expired (401) or lacks the permission (403); 78 invalid config, no lem section, or a LEM
certificate that is neither trusted nor pinned.`;

const LISTING_OUTPUT = `Prints a table (times as ISO 8601 UTC, "-" for none), or --json (LEM's values as
the agent reads them: times in epoch milliseconds), or --csv (a header row, RFC 4180 quoting).`;

type ListingCommand = Command<typeof LISTING_OPTIONS>;

function listing(name: LemListingName, summary: string, what: string): ListingCommand {
  return {
    path: ['lem', name],
    summary,
    positionals: [],
    options: LISTING_OPTIONS,
    help: `${what}\n${LISTING_OUTPUT}\n${FAILURES}`,
    run: async (args, io) =>
      (await import('../lem/lem-listing-command.js')).lemListingCommand(name, args.values, io),
  };
}

export type LemListingName = 'stats' | 'skus' | 'used' | 'features' | 'license-features';
export type LemListingValues = Parameters<ListingCommand['run']>[0]['values'];

export const lemStats = listing(
  'stats',
  "count the LEM project pool's licences by state",
  'Reads GET /api/v1/device-license-pool/stats: active, used, unused and expired licences.',
);

export const lemSkus = listing(
  'skus',
  'list the SKUs allocated to the LEM project pool',
  'Reads GET /api/v1/device-license-pool/skus: each SKU, how many, and whether it is a core licence.',
);

export const lemUsed = listing(
  'used',
  'list the devices using LEM pool licences, one line per licence',
  `Reads every page of GET /api/v1/device-license-pool/used. The table leaves the licence keys
out; --json and --csv carry them.`,
);

export const lemFeatures = listing(
  'features',
  "list the LEM server's features and whether each is enabled",
  'Reads GET /api/v1/feature.',
);

export const lemLicenseFeatures = listing(
  'license-features',
  'list the features the LEM licence unlocks, with their expiry',
  'Reads GET /api/v1/licenses2/features. COUNT -1 is unmetered.',
);

export const lemUploadCsv: Command<typeof CONFIG_OPTION> = {
  path: ['lem', 'upload-csv'],
  summary: "upload a licence CSV to the LEM project's pool",
  positionals: [{ name: 'file', required: true }],
  options: CONFIG_OPTION,
  help: `Checks FILE first (RFC 4180 CSV, a header with a "License key" column, as many fields on
every line as in the header, no empty licence key, at most 5 MiB) and sends nothing when it
fails: the error names the line and column. Then POSTs it to
/api/v1/device-license-pool/csv as the multipart "file" part and prints LEM's acknowledgement.
66 FILE cannot be read; 65 FILE fails the check.
${FAILURES}`,
  run: async (args, io) =>
    (await import('../lem/lem-upload-command.js')).lemUploadCommand(
      args.positionals[0] ?? '',
      args.values,
      io,
    ),
};

const REPORT_OPTIONS = {
  ...CONFIG_OPTION,
  device: {
    type: 'string',
    arg: 'ID',
    multiple: true,
    text: 'only this LEM device ID (repeatable); default: every device of the project',
  },
  out: {
    type: 'string',
    arg: 'FILE',
    text: 'write the CSV to FILE (atomically, mode 0600: it holds licence keys) instead of stdout',
  },
  email: {
    type: 'string',
    arg: 'ADDR',
    multiple: true,
    text: 'have LEM e-mail the report to ADDR instead (repeatable)',
  },
} as const satisfies OptionSpecs;

export type LemReportValues = Parameters<Command<typeof REPORT_OPTIONS>['run']>[0]['values'];

export const lemReport: Command<typeof REPORT_OPTIONS> = {
  path: ['lem', 'report'],
  summary: "the LEM pool's licence-usage report as CSV, or e-mailed by LEM",
  positionals: [],
  options: REPORT_OPTIONS,
  help: `POSTs /api/v1/device-license-pool/all/csv with the --device IDs (none: "deviceIds": [],
every device) and prints the CSV LEM returns (13 columns: Project ID, Device ID, ..., Status),
or writes it to --out FILE. With --email, LEM e-mails the report
(/api/v1/device-license-pool/all/csv/email) and the command prints what LEM acknowledged.
73 --out FILE cannot be written.
${FAILURES}`,
  run: async (args, io) =>
    (await import('../lem/lem-report-command.js')).lemReportCommand(args.values, io),
};

/** In the order the usage lists them. */
export const LEM_COMMANDS = [
  lemStats,
  lemSkus,
  lemUsed,
  lemFeatures,
  lemLicenseFeatures,
  lemUploadCsv,
  lemReport,
] as const;
