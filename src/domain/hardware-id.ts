import type { Instant } from './time.js';

/**
 * The facts a hardware ID is composed from. Each is optional because an unprivileged, hardened
 * service may not be able to read it (DMI files are root-only), and that is normal.
 */
export interface HardwareComponents {
  /** Permanent MAC of the primary physical NIC, lower-case, colon-separated. */
  readonly mac: string | null;
  /** /etc/machine-id: unique per installed system, copied by disk cloning. */
  readonly machineId: string | null;
  /** DMI system UUID: unique per mainboard, not copied by disk cloning. */
  readonly dmiUuid: string | null;
}

export type HardwareComponentName = keyof HardwareComponents;

/**
 * The fixed order and the names under which components enter the digest. Changing either changes
 * every device's ID, hence the scheme tag in the composed text.
 */
const COMPOSITION: readonly (readonly [HardwareComponentName, string])[] = [
  ['dmiUuid', 'dmi'],
  ['machineId', 'machine-id'],
  ['mac', 'mac'],
];
const SCHEME = 'ela-hwid/1';

export const HARDWARE_COMPONENT_NAMES: readonly HardwareComponentName[] = COMPOSITION.map(
  ([name]) => name,
);

/** What the state keeps: the ID in use and the components it was enrolled with. */
export interface StoredIdentity {
  readonly hardwareId: string;
  readonly components: HardwareComponents;
  readonly enrolledAt?: Instant;
}

/** Trimmed and lower-case, so `AA:BB` from one source and `aa:bb\n` from another are equal. */
export function normaliseComponents(components: HardwareComponents): HardwareComponents {
  return {
    mac: normalise(components.mac),
    machineId: normalise(components.machineId),
    dmiUuid: normalise(components.dmiUuid),
  };
}

function normalise(value: string | null): string | null {
  const text = value?.trim().toLowerCase() ?? '';
  return text === '' ? null : text;
}

/**
 * The ID for a set of components, or null when none is present. The text form is fixed-order and
 * named (`ela-hwid/1;dmi=…;machine-id=…;mac=…`, absent components left out), so the ID does not
 * depend on the order facts were discovered in. The ID is the first 128 bits of the digest as
 * lower-case hex in eight groups of four, short enough to read out over the phone, e.g.
 * `3f2a-9c1b-04d7-e6a0-5b19-c2d8-7e4f-a013`.
 */
export function composeHardwareId(
  components: HardwareComponents,
  digestHex: (text: string) => string,
): string | null {
  const present = normaliseComponents(components);
  const parts: string[] = [];
  for (const [name, label] of COMPOSITION) {
    const value = present[name];
    if (value !== null) parts.push(`${label}=${value}`);
  }
  if (parts.length === 0) return null;
  const hex = digestHex([SCHEME, ...parts].join(';'))
    .toLowerCase()
    .slice(0, 32);
  return hex.match(/.{1,4}/g)?.join('-') ?? hex;
}

/** How one component differs from the one the device was enrolled with. */
export interface ComponentChange {
  readonly component: HardwareComponentName;
  /** `changed`: both known and different; `appeared`/`disappeared`: readable on one side only. */
  readonly kind: 'changed' | 'appeared' | 'disappeared';
}

/**
 * Every way resolving the device's identity can end. `save` is what the state should hold
 * afterwards, or null when it is to be left as it is.
 */
export type IdentityResolution =
  | {
      /** The configured ID wins; the composed one is reported so `hwid` can show both. */
      readonly kind: 'overridden';
      readonly hardwareId: string;
      readonly composedHardwareId: string | null;
      readonly save: null;
    }
  | { readonly kind: 'enrolled'; readonly hardwareId: string; readonly save: StoredIdentity }
  | { readonly kind: 'unchanged'; readonly hardwareId: string; readonly save: null }
  | {
      /** Same machine, some parts changed: the stored ID is kept and the change reported. */
      readonly kind: 'drifted';
      readonly hardwareId: string;
      readonly changed: readonly HardwareComponentName[];
      readonly changes: readonly ComponentChange[];
      readonly save: StoredIdentity | null;
    }
  | {
      /** Not the machine that was enrolled (a cloned disk, most likely): a new ID. */
      readonly kind: 'replaced';
      readonly hardwareId: string;
      readonly previousHardwareId: string;
      readonly changed: readonly HardwareComponentName[];
      readonly changes: readonly ComponentChange[];
      readonly save: StoredIdentity;
    }
  | {
      readonly kind: 'unidentifiable';
      readonly previousHardwareId: string | null;
      readonly save: null;
    };

export interface IdentityInput {
  readonly stored: StoredIdentity | null;
  readonly current: HardwareComponents;
  /** From config; blank counts as none. */
  readonly override: string | null;
  readonly digestHex: (text: string) => string;
  /** Recorded as `enrolledAt` when a new identity is composed. */
  readonly now: Instant;
}

/**
 * Decides which ID the device uses. The stored ID is kept while a strict majority of the components
 * readable both at enrolment and now still match: one swapped NIC, a reinstalled OS (new
 * machine-id) or a replaced mainboard keeps the device's licences, while a disk cloned onto other
 * hardware (same machine-id, different DMI UUID and MAC) does not. With only two components
 * readable (no DMI UUID), one change is not a majority, so a NIC swap re-keys the device: give the
 * service the DMI UUID through systemd `LoadCredential=` (see the system-facts adapter).
 *
 * Drift is measured against the components of enrolment, not the last boot, so the change stays
 * visible and two changes over time add up. Only components that have newly become readable are
 * added to the stored ones.
 */
export function resolveIdentity(input: IdentityInput): IdentityResolution {
  const current = normaliseComponents(input.current);
  const composed = composeHardwareId(current, input.digestHex);
  const override = input.override?.trim() ?? '';
  if (override !== '') {
    return { kind: 'overridden', hardwareId: override, composedHardwareId: composed, save: null };
  }
  if (composed === null) {
    return {
      kind: 'unidentifiable',
      previousHardwareId: input.stored?.hardwareId ?? null,
      save: null,
    };
  }
  const enrol = (): StoredIdentity => ({
    hardwareId: composed,
    components: current,
    enrolledAt: input.now,
  });
  if (input.stored === null) return { kind: 'enrolled', hardwareId: composed, save: enrol() };

  const stored = input.stored;
  const enrolled = normaliseComponents(stored.components);
  const changes = compareComponents(enrolled, current);
  if (changes.length === 0) return { kind: 'unchanged', hardwareId: stored.hardwareId, save: null };

  const changed = changes.map((change) => change.component);
  if (sameMachine(enrolled, current)) {
    const appeared = changes.filter((change) => change.kind === 'appeared');
    return {
      kind: 'drifted',
      hardwareId: stored.hardwareId,
      changed,
      changes,
      save: appeared.length === 0 ? null : adopt(stored, enrolled, current, appeared),
    };
  }
  return {
    kind: 'replaced',
    hardwareId: composed,
    previousHardwareId: stored.hardwareId,
    changed,
    changes,
    save: enrol(),
  };
}

export function compareComponents(
  before: HardwareComponents,
  after: HardwareComponents,
): ComponentChange[] {
  const changes: ComponentChange[] = [];
  for (const component of HARDWARE_COMPONENT_NAMES) {
    const then = before[component];
    const now = after[component];
    if (then === now) continue;
    const kind = then === null ? 'appeared' : now === null ? 'disappeared' : 'changed';
    changes.push({ component, kind });
  }
  return changes;
}

/** A strict majority of the components known on both sides match; none known is no evidence. */
function sameMachine(before: HardwareComponents, after: HardwareComponents): boolean {
  let known = 0;
  let matching = 0;
  for (const component of HARDWARE_COMPONENT_NAMES) {
    const then = before[component];
    const now = after[component];
    if (then === null || now === null) continue;
    known++;
    if (then === now) matching++;
  }
  return matching * 2 > known;
}

function adopt(
  stored: StoredIdentity,
  enrolled: HardwareComponents,
  current: HardwareComponents,
  appeared: readonly ComponentChange[],
): StoredIdentity {
  const components: { -readonly [K in HardwareComponentName]: string | null } = { ...enrolled };
  for (const { component } of appeared) components[component] = current[component];
  return { ...stored, components };
}

/** The components reported as changed (metric `identity`), empty when the ID is as enrolled. */
export function changedComponents(
  resolution: IdentityResolution,
): readonly HardwareComponentName[] {
  switch (resolution.kind) {
    case 'drifted':
    case 'replaced':
      return resolution.changed;
    case 'overridden':
    case 'enrolled':
    case 'unchanged':
    case 'unidentifiable':
      return [];
    default: {
      const never: never = resolution;
      return never;
    }
  }
}
