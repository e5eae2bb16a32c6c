import { createIdentityStore } from '../../adapters/identity-store/identity-store.js';
import { sha256Hex } from '../../adapters/system-facts/digest.js';
import { createSystemFacts } from '../../adapters/system-facts/system-facts.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { resolveIdentity } from '../../domain/hardware-id.js';

/**
 * This device's hardware ID as the agent uses it (the `hwid` command's way: the override, else
 * the enrolment in the state directory, else the machine's facts), without a running agent.
 */
export async function thisDeviceHardwareId(
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  const stored = await createIdentityStore(config.stateDirectory).load();
  const machine = await createSystemFacts({
    credentialsDirectory: env['CREDENTIALS_DIRECTORY'],
  }).read();
  const resolution = resolveIdentity({
    stored: stored.kind === 'loaded' ? stored.identity : null,
    current: machine.components,
    override: config.hardwareIdOverride,
    digestHex: sha256Hex,
    // `now` only dates an enrolment, which is never saved here.
    now: 0,
  });
  return resolution.kind === 'unidentifiable' ? null : resolution.hardwareId;
}
