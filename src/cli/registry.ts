import type { Command } from './command.js';
import { check } from './commands/check.js';
import { configValidate } from './commands/config-validate.js';
import { doctor } from './commands/doctor.js';
import { health } from './commands/health.js';
import { deactivate } from './commands/deactivate.js';
import { fleetCompare } from './commands/fleet-compare.js';
import { fleetLicenses } from './commands/fleet-licenses.js';
import { help } from './commands/help.js';
import { hwid } from './commands/hwid.js';
import { LEM_COMMANDS } from './commands/lem.js';
import { refresh } from './commands/refresh.js';
import { run } from './commands/run.js';
import { sandbox } from './commands/sandbox.js';
import { status } from './commands/status.js';
import { version } from './commands/version.js';

/** Every command, in the order the usage lists them. Only metadata: each loads its work on run. */
export const COMMANDS: readonly Command[] = [
  run,
  status,
  check,
  refresh,
  health,
  hwid,
  doctor,
  configValidate,
  fleetLicenses,
  fleetCompare,
  deactivate,
  ...LEM_COMMANDS,
  sandbox,
  version,
  help,
];
