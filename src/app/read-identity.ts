import type { IdentityLoad, MachineFacts, SystemFacts } from '../agent/identity-ports.js';
import { createIdentityStore } from '../adapters/identity-store/identity-store.js';
import { sha256Hex } from '../adapters/system-facts/digest.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { resolveIdentity, type IdentityResolution } from '../domain/hardware-id.js';

export interface ReadIdentity {
  readonly resolution: IdentityResolution;
  readonly machine: MachineFacts;
  readonly stored: IdentityLoad;
}

/**
 * The hardware ID the agent would present (the override, else the enrolment in the state
 * directory, else the machine's facts), read without a running agent and without writing: for
 * the commands beside it (`doctor`, `fleet --this-device`), which never enrol.
 */
export async function readIdentity(
  config: ResolvedConfig,
  facts: SystemFacts,
): Promise<ReadIdentity> {
  const [machine, stored] = await Promise.all([
    facts.read(),
    createIdentityStore(config.stateDirectory).load(),
  ]);
  const resolution = resolveIdentity({
    stored: stored.kind === 'loaded' ? stored.identity : null,
    current: machine.components,
    override: config.hardwareIdOverride,
    digestHex: sha256Hex,
    // `now` only dates an enrolment, which is never saved here.
    now: 0,
  });
  return { resolution, machine, stored };
}
