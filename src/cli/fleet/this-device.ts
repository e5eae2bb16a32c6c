import { createSystemFacts } from '../../adapters/system-facts/system-facts.js';
import { readIdentity } from '../../app/read-identity.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';

/**
 * This device's hardware ID as the agent uses it (the `hwid` command's way: the override, else
 * the enrolment in the state directory, else the machine's facts), without a running agent.
 */
export async function thisDeviceHardwareId(
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  const facts = createSystemFacts({ credentialsDirectory: env['CREDENTIALS_DIRECTORY'] });
  const { resolution } = await readIdentity(config, facts);
  return resolution.kind === 'unidentifiable' ? null : resolution.hardwareId;
}
