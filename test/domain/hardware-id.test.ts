import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changedComponents,
  composeHardwareId,
  resolveIdentity,
  type HardwareComponents,
  type IdentityInput,
  type StoredIdentity,
} from '../../src/domain/hardware-id.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const NOW = 1_750_000_000_000;
const ENROLLED_AT = 1_700_000_000_000;

const machine: HardwareComponents = {
  dmiUuid: '4c4c4544-0051-3010-8052-b4c04f4e4d32',
  machineId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  mac: '00:1b:21:3a:4f:5c',
};
const ID = composeHardwareId(machine, sha256)!;
const stored: StoredIdentity = { hardwareId: ID, components: machine, enrolledAt: ENROLLED_AT };

function resolve(input: Partial<IdentityInput>) {
  return resolveIdentity({
    stored,
    current: machine,
    override: null,
    digestHex: sha256,
    now: NOW,
    ...input,
  });
}

describe('composeHardwareId', () => {
  it('formats the ID as 32 lower-case hex digits in groups of four', () => {
    expect(ID).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/);
  });

  it('gives a known machine the same ID in every release (the scheme is pinned)', () => {
    expect(ID).toBe('e278-db06-734a-4019-6a25-e5d5-9859-7135');
  });

  it('ignores case and surrounding whitespace in the facts', () => {
    const shouty = {
      dmiUuid: ` ${machine.dmiUuid!.toUpperCase()}\n`,
      machineId: `${machine.machineId!}\n`,
      mac: machine.mac!.toUpperCase(),
    };
    expect(composeHardwareId(shouty, sha256)).toBe(ID);
  });

  it('gives a different ID when a component is absent', () => {
    expect(composeHardwareId({ ...machine, dmiUuid: null }, sha256)).not.toBe(ID);
  });

  it('returns null when no component is present', () => {
    const nothing = { dmiUuid: null, machineId: '  ', mac: null };
    expect(composeHardwareId(nothing, sha256)).toBeNull();
  });

  it('does not depend on the order the facts were discovered in', () => {
    const entries = Object.entries(machine);
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: 3, maxLength: 3 }), (shuffled) => {
        const components = Object.fromEntries(shuffled) as unknown as HardwareComponents;
        expect(composeHardwareId(components, sha256)).toBe(ID);
      }),
    );
  });
});

const noDmi = { ...machine, dmiUuid: null };
const noDmiId = composeHardwareId(noDmi, sha256)!;
const otherBoard = {
  dmiUuid: '9a8b7c6d-0000-4000-8000-123456789abc',
  machineId: machine.machineId,
  mac: '00:1b:21:99:88:77',
};

describe('resolveIdentity', () => {
  const cases: {
    fact: string;
    input: Partial<IdentityInput>;
    expected: Record<string, unknown>;
  }[] = [
    {
      fact: 'enrols a device with nothing stored under the composed ID',
      input: { stored: null },
      expected: {
        kind: 'enrolled',
        hardwareId: ID,
        save: { hardwareId: ID, components: machine, enrolledAt: NOW },
      },
    },
    {
      fact: 'keeps the ID unchanged when every component matches',
      input: {},
      expected: { kind: 'unchanged', hardwareId: ID, save: null },
    },
    {
      fact: 'keeps the ID unchanged when stored facts differ only in case',
      input: { current: { ...machine, mac: machine.mac!.toUpperCase() } },
      expected: { kind: 'unchanged', hardwareId: ID },
    },
    {
      fact: 'keeps the ID and reports drift when the NIC is swapped',
      input: { current: { ...machine, mac: '00:1b:21:00:00:01' } },
      expected: { kind: 'drifted', hardwareId: ID, changed: ['mac'], save: null },
    },
    {
      fact: 'keeps the ID and reports drift when the OS is reinstalled (new machine-id)',
      input: { current: { ...machine, machineId: 'ffeeddccbbaa99887766554433221100' } },
      expected: { kind: 'drifted', hardwareId: ID, changed: ['machineId'] },
    },
    {
      fact: 'composes a new ID when the disk is cloned onto other hardware',
      input: { current: otherBoard },
      expected: {
        kind: 'replaced',
        hardwareId: composeHardwareId(otherBoard, sha256),
        previousHardwareId: ID,
        changed: ['dmiUuid', 'mac'],
        save: {
          hardwareId: composeHardwareId(otherBoard, sha256),
          components: otherBoard,
          enrolledAt: NOW,
        },
      },
    },
    {
      fact: 'composes a new ID when the NIC changes and no DMI UUID is readable (1 of 2 is no majority)',
      input: {
        stored: { hardwareId: noDmiId, components: noDmi },
        current: { ...noDmi, mac: '00:1b:21:00:00:01' },
      },
      expected: { kind: 'replaced', previousHardwareId: noDmiId, changed: ['mac'] },
    },
    {
      fact: 'keeps the ID and adopts a DMI UUID that has become readable',
      input: { stored: { hardwareId: noDmiId, components: noDmi, enrolledAt: ENROLLED_AT } },
      expected: {
        kind: 'drifted',
        hardwareId: noDmiId,
        changes: [{ component: 'dmiUuid', kind: 'appeared' }],
        save: { hardwareId: noDmiId, components: machine, enrolledAt: ENROLLED_AT },
      },
    },
    {
      fact: 'keeps the ID and reports a DMI UUID that is no longer readable, without forgetting it',
      input: { current: noDmi },
      expected: {
        kind: 'drifted',
        hardwareId: ID,
        changes: [{ component: 'dmiUuid', kind: 'disappeared' }],
        save: null,
      },
    },
    {
      fact: 'composes a new ID when no component is known both then and now',
      input: {
        stored: {
          hardwareId: 'old',
          components: { dmiUuid: null, machineId: null, mac: machine.mac },
        },
        current: { dmiUuid: machine.dmiUuid, machineId: null, mac: null },
      },
      expected: { kind: 'replaced', previousHardwareId: 'old' },
    },
    {
      fact: 'uses the configured override over everything, and reports the composed ID',
      input: { override: ' site-42-gateway ', current: otherBoard },
      expected: {
        kind: 'overridden',
        hardwareId: 'site-42-gateway',
        composedHardwareId: composeHardwareId(otherBoard, sha256),
        save: null,
      },
    },
    {
      fact: 'uses the override even when no component is readable',
      input: { override: 'fixed', current: { dmiUuid: null, machineId: null, mac: null } },
      expected: { kind: 'overridden', hardwareId: 'fixed', composedHardwareId: null },
    },
    {
      fact: 'treats a blank override as none',
      input: { override: '   ' },
      expected: { kind: 'unchanged', hardwareId: ID },
    },
    {
      fact: 'is unidentifiable when no component is readable and no override is set',
      input: { current: { dmiUuid: null, machineId: null, mac: null } },
      expected: { kind: 'unidentifiable', previousHardwareId: ID, save: null },
    },
  ];

  it.each(cases)('$fact', ({ input, expected }) => {
    expect(resolve(input)).toMatchObject(expected);
  });

  it('reports the changed components for the metric, empty when nothing changed', () => {
    expect(changedComponents(resolve({ current: otherBoard }))).toEqual(['dmiUuid', 'mac']);
    expect(changedComponents(resolve({}))).toEqual([]);
  });
});

describe('resolveIdentity properties', () => {
  const value = fc.stringMatching(/^[0-9a-f]{8,32}$/);
  const components = fc.record({ dmiUuid: value, machineId: value, mac: value });
  const names = ['dmiUuid', 'machineId', 'mac'] as const;

  it('keeps the ID when any single one of three components changes', () => {
    fc.assert(
      fc.property(components, fc.constantFrom(...names), value, (enrolled, name, replacement) => {
        fc.pre(enrolled[name] !== replacement);
        const hardwareId = composeHardwareId(enrolled, sha256)!;
        const result = resolveIdentity({
          stored: { hardwareId, components: enrolled },
          current: { ...enrolled, [name]: replacement },
          override: null,
          digestHex: sha256,
          now: NOW,
        });
        expect(result).toMatchObject({ kind: 'drifted', hardwareId, changed: [name] });
      }),
    );
  });

  it('never lets a cloned disk (same machine-id, other DMI UUID and MAC) keep the ID', () => {
    fc.assert(
      fc.property(components, value, value, (enrolled, dmiUuid, mac) => {
        fc.pre(dmiUuid !== enrolled.dmiUuid && mac !== enrolled.mac);
        const hardwareId = composeHardwareId(enrolled, sha256)!;
        const result = resolveIdentity({
          stored: { hardwareId, components: enrolled },
          current: { machineId: enrolled.machineId, dmiUuid, mac },
          override: null,
          digestHex: sha256,
          now: NOW,
        });
        expect(result.kind).toBe('replaced');
        expect(result).not.toMatchObject({ hardwareId });
      }),
    );
  });
});
