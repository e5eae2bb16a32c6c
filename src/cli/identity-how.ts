import type { IdentityLoad } from '../agent/identity-ports.js';
import type { HardwareComponentName, IdentityResolution } from '../domain/hardware-id.js';

export const COMPONENT_LABELS: Readonly<Record<HardwareComponentName, string>> = {
  mac: 'mac',
  machineId: 'machine-id',
  dmiUuid: 'dmi-uuid',
};

/** What `hwid` knew besides the machine's facts. */
export type IdentitySources =
  /** No config file was read, so neither the override nor the enrolment could be looked up. */
  | { readonly kind: 'no-config' }
  | { readonly kind: 'config'; readonly stored: IdentityLoad; readonly identityFile: string };

/**
 * How the agent comes by the ID `hwid` shows, in words: the override, the enrolment it keeps
 * (and through which change), or the facts it composes an ID from, and why.
 */
export function identityHow(resolution: IdentityResolution, sources: IdentitySources): string {
  switch (resolution.kind) {
    case 'overridden':
      return 'override (device.hardwareId)';
    case 'enrolled':
      return `composed from machine facts (${notEnrolledWhy(sources)})`;
    case 'unchanged':
      return `${enrolled(sources)}, unchanged`;
    case 'drifted':
      return `${enrolled(sources)}, kept through a change of: ${labels(resolution.changed)}`;
    case 'replaced':
      return `composed from machine facts: not the machine enrolled as ${resolution.previousHardwareId} (cloned disk?), changed: ${labels(resolution.changed)}; the agent will enrol this ID`;
    case 'unidentifiable':
      return 'no machine fact could be read; set device.hardwareId';
    default: {
      const never: never = resolution;
      return never;
    }
  }
}

function notEnrolledWhy(sources: IdentitySources): string {
  if (sources.kind === 'no-config') return 'no config read, so no enrolment looked up';
  switch (sources.stored.kind) {
    case 'absent':
    case 'loaded':
      return 'not enrolled yet';
    case 'corrupt':
    case 'unreadable':
      return `${sources.identityFile} is ${sources.stored.kind}: ${sources.stored.reason}; the agent will enrol again`;
    default: {
      const never: never = sources.stored;
      return never;
    }
  }
}

function enrolled(sources: IdentitySources): string {
  const at =
    sources.kind === 'config' && sources.stored.kind === 'loaded'
      ? sources.stored.identity.enrolledAt
      : undefined;
  return at === undefined ? 'enrolled' : `enrolled ${new Date(at).toISOString().slice(0, 10)}`;
}

function labels(names: readonly HardwareComponentName[]): string {
  return names.map((name) => COMPONENT_LABELS[name]).join(', ');
}
