import { AgentError } from '../domain/agent-error.js';
import {
  resolveIdentity,
  type HardwareComponentName,
  type IdentityResolution,
} from '../domain/hardware-id.js';
import type { IdentityStore, MachineFacts, SystemFacts } from './identity-ports.js';
import type { Clock, Logger } from './ports.js';

export interface EstablishedIdentity {
  readonly hardwareId: string;
  readonly source: 'composed' | 'override';
  readonly changedComponents: readonly HardwareComponentName[];
  readonly resolution: IdentityResolution;
  readonly facts: MachineFacts;
}

/** Thrown when the machine offers nothing to identify it by and no override is configured. */
export class UnidentifiableDeviceError extends AgentError {
  override readonly name = 'UnidentifiableDeviceError';
  constructor() {
    super(
      'device_unidentifiable',
      'no hardware ID: none of the primary NIC MAC, machine-id or DMI UUID could be read; set device.hardwareId',
    );
  }
}

/**
 * Works out the hardware ID to present: composed from machine facts, checked against the components
 * the device was enrolled with, and saved when that changes. A change is reported, never silent.
 */
export async function establishIdentity(
  deps: {
    readonly facts: SystemFacts;
    readonly store: IdentityStore;
    readonly digestHex: (text: string) => string;
    readonly clock: Clock;
    readonly log: Logger;
  },
  override: string | null,
): Promise<EstablishedIdentity> {
  const [loaded, facts] = await Promise.all([deps.store.load(), deps.facts.read()]);
  if (loaded.kind === 'corrupt' || loaded.kind === 'unreadable') {
    deps.log.warn(
      { reason: loaded.reason, kind: loaded.kind },
      'stored identity ignored: enrolling from machine facts',
    );
  }
  const resolution = resolveIdentity({
    stored: loaded.kind === 'loaded' ? loaded.identity : null,
    current: facts.components,
    override,
    digestHex: deps.digestHex,
    now: deps.clock.now(),
  });
  if (resolution.save !== null) {
    try {
      await deps.store.save(resolution.save);
    } catch (error) {
      // The agent can still run on the ID it worked out; it will try to save again next start.
      deps.log.error({ err: error }, 'could not save the hardware identity');
    }
  }
  switch (resolution.kind) {
    case 'unidentifiable':
      throw new UnidentifiableDeviceError();
    case 'overridden':
      deps.log.info({ hardwareId: resolution.hardwareId }, 'hardware ID set by configuration');
      return established(resolution.hardwareId, 'override', [], resolution, facts);
    case 'enrolled':
      deps.log.info({ hardwareId: resolution.hardwareId }, 'hardware ID composed and enrolled');
      return established(resolution.hardwareId, 'composed', [], resolution, facts);
    case 'unchanged':
      return established(resolution.hardwareId, 'composed', [], resolution, facts);
    case 'drifted':
      deps.log.warn(
        { hardwareId: resolution.hardwareId, changed: resolution.changes },
        'hardware changed since enrolment; keeping the enrolled hardware ID',
      );
      return established(resolution.hardwareId, 'composed', resolution.changed, resolution, facts);
    case 'replaced':
      deps.log.warn(
        {
          hardwareId: resolution.hardwareId,
          previousHardwareId: resolution.previousHardwareId,
          changed: resolution.changes,
        },
        'this is not the machine the state was enrolled on (cloned disk?): new hardware ID',
      );
      return established(resolution.hardwareId, 'composed', resolution.changed, resolution, facts);
    default: {
      const never: never = resolution;
      return never;
    }
  }
}

function established(
  hardwareId: string,
  source: 'composed' | 'override',
  changedComponents: readonly HardwareComponentName[],
  resolution: IdentityResolution,
  facts: MachineFacts,
): EstablishedIdentity {
  return { hardwareId, source, changedComponents, resolution, facts };
}
