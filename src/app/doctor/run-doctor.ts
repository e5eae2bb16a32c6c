import type { SystemFacts } from '../../agent/identity-ports.js';
import type { Clock, Logger, Random, Sleep } from '../../agent/ports.js';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/load-config.js';
import { fail, pass, skip, type CheckResult } from './doctor-check.js';
import { deviceKeyCheck, socketCheck, stateDirectoryCheck } from './file-checks.js';
import { identityCheck, savedStateCheck } from './identity-state-checks.js';
import { lemCheck } from './lem-check.js';
import { managementCheck } from './management-check.js';
import { licenseServerChecks } from './upstream-checks.js';
import { machineCheck } from './machine-check.js';
import { probeMachine, type DetectMachine } from '../machine.js';

export interface DoctorDeps {
  readonly facts: SystemFacts;
  readonly clock: Clock;
  /** Where the upstream adapters log; doctor prints results, not log lines. */
  readonly log: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly sleep: Sleep;
  readonly random: Random;
  /** What the machine is; the probe process when absent. */
  readonly detectMachine?: DetectMachine;
}

/** The checks that need the config, when the config cannot be read. */
const NEED_CONFIG = [
  'state-directory',
  'device-key',
  'socket',
  'hardware-id',
  'machine',
  'saved-state',
  'upstream',
  'lem',
];

/**
 * Every check `doctor` makes, in the order a person fixes things: the config, the files, the
 * identity and saved state, then the network and the upstreams. It reads and asks, and writes
 * nothing: no enrolment, no state, no sandbox key.
 */
export async function runDoctor(configPath: string, deps: DoctorDeps): Promise<CheckResult[]> {
  let config;
  try {
    config = await loadConfig({ path: configPath, env: deps.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const first = error.issues[0];
    return [
      fail(
        'config',
        `${configPath}: ${error.issues.map((i) => `${i.key} ${i.message}`).join('; ')}`,
        first === undefined || first.key === '(file)'
          ? `name the agent's config with --config FILE or $ELA_CONFIG, then: edge-license-agent config validate FILE`
          : `fix ${first.key}, then: edge-license-agent config validate ${configPath}`,
      ),
      ...NEED_CONFIG.map((id) => skip(id, 'the config cannot be read')),
    ];
  }
  const results: CheckResult[] = [pass('config', `${configPath} is valid`)];
  results.push(await stateDirectoryCheck(config));
  results.push(await deviceKeyCheck(config));
  results.push(await socketCheck(config));
  const identity = await identityCheck(config, deps.facts);
  results.push(identity.result);
  results.push(await machineCheck(config, deps.detectMachine ?? probeMachine));
  results.push(await savedStateCheck(config, identity.hardwareId));
  let deviceLicenseIds: readonly number[] | null = null;
  results.push(
    ...(await licenseServerChecks(config, identity.hardwareId, deps, (ids) => {
      deviceLicenseIds = ids;
    })),
  );
  results.push(await managementCheck(config, identity.hardwareId, deviceLicenseIds, deps));
  const mac = (await deps.facts.read()).components.mac;
  results.push(await lemCheck(config.lem, mac, deps.log));
  return results;
}
