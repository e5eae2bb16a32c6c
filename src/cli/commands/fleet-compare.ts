import { CONNECTION_OPTIONS, JSON_OPTION, type Command, type OptionSpecs } from '../command.js';

/** `--config` (from CONNECTION_OPTIONS) names the agent's config: licensespring.management, and the agent's address. */
export const FLEET_COMPARE_OPTIONS = {
  ...CONNECTION_OPTIONS,
  ...JSON_OPTION,
} as const satisfies OptionSpecs;

export const fleetCompare: Command<typeof FLEET_COMPARE_OPTIONS> = {
  path: ['fleet', 'compare'],
  summary: "compare the Management API's licences for this device with the running agent's",
  positionals: [],
  options: FLEET_COMPARE_OPTIONS,
  help: `Asks the running agent for its status (its hardware ID and licences, from device_licenses),
then the Management API for the licences bound to that hardware ID, and prints each licence with
where it is seen: both, only the server (not synced yet, or another product), only the agent
(deactivated or moved on the server since the last sync), and where the server says disabled but
the agent still grants it.
Exit: 0 they agree; 1 they disagree; 2 the agent or the Management API could not be asked;
64 usage; 78 config, or the API key is missing or refused.`,
  run: async (args, io) =>
    (await import('../fleet/compare-command.js')).fleetCompareCommand(args.values, io),
};
