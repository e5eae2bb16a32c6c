import { describe, expect, it } from 'vitest';
import {
  establishIdentity,
  UnidentifiableDeviceError,
} from '../../src/agent/establish-identity.js';
import type { SystemFacts } from '../../src/agent/identity-ports.js';
import { sha256Hex } from '../../src/adapters/system-facts/digest.js';
import type { HardwareComponents } from '../../src/domain/hardware-id.js';
import { T0 } from '../domain/license-builders.js';
import {
  machineWith,
  ManualClock,
  MemoryIdentityStore,
  noMachine,
  recordingLogger,
} from './fakes.js';

const machine: HardwareComponents = {
  dmiUuid: '4c4c4544-0051-3010-8052-b4c04f4e4d32',
  machineId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  mac: '00:1b:21:3a:4f:5c',
};
const HWID = /^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/;

function establish(
  facts: SystemFacts,
  store: MemoryIdentityStore,
  override: string | null = null,
  at = T0,
) {
  const log = recordingLogger();
  const result = establishIdentity(
    { facts, store, digestHex: sha256Hex, clock: new ManualClock(at), log },
    override,
  );
  return { result, log };
}

/** Enrols `components` in a fresh store, as a first start would. */
async function enrolled(components: HardwareComponents = machine) {
  const store = new MemoryIdentityStore();
  const first = await establish(machineWith(components), store).result;
  return { store, first };
}

describe('establishing the hardware identity', () => {
  it('on first start composes an ID from the machine and enrols it with its components', async () => {
    const store = new MemoryIdentityStore();
    const { result, log } = establish(machineWith(machine), store);
    const identity = await result;
    expect(identity).toMatchObject({ source: 'composed', changedComponents: [] });
    expect(identity.hardwareId).toMatch(HWID);
    expect(identity.resolution.kind).toBe('enrolled');
    expect(store.saves).toEqual([
      { hardwareId: identity.hardwareId, components: machine, enrolledAt: T0 },
    ]);
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'hardware ID composed and enrolled' }),
    );
  });

  it('gives the same ID on the next start and saves nothing', async () => {
    const { store, first } = await enrolled();
    const { result, log } = establish(machineWith(machine), store, null, T0 + 86_400_000);
    const again = await result;
    expect(again.hardwareId).toBe(first.hardwareId);
    expect(again).toMatchObject({ source: 'composed', changedComponents: [] });
    expect(again.resolution.kind).toBe('unchanged');
    expect(store.saves).toHaveLength(1);
    expect(log.entries.filter((e) => e.level !== 'info')).toEqual([]);
  });

  it('reads facts written differently (case, whitespace) as the same machine', async () => {
    const { store, first } = await enrolled();
    const shouted = {
      dmiUuid: `${machine.dmiUuid!.toUpperCase()}\n`,
      machineId: ` ${machine.machineId!} `,
      mac: machine.mac!.toUpperCase(),
    };
    const again = await establish(machineWith(shouted), store).result;
    expect(again.hardwareId).toBe(first.hardwareId);
    expect(again.resolution.kind).toBe('unchanged');
  });

  it('keeps the enrolled ID when one component changed, and says which', async () => {
    const { store, first } = await enrolled();
    const swappedNic = { ...machine, mac: '00:1b:21:99:88:77' };
    const { result, log } = establish(machineWith(swappedNic), store);
    const identity = await result;
    expect(identity.hardwareId).toBe(first.hardwareId);
    expect(identity).toMatchObject({ source: 'composed', changedComponents: ['mac'] });
    expect(identity.resolution.kind).toBe('drifted');
    // Drift is measured against enrolment: the stored components stay as they were.
    expect(store.saves).toHaveLength(1);
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ changed: [{ component: 'mac', kind: 'changed' }] }),
      }),
    );
  });

  it('adds a component that has become readable to the enrolment, keeping the ID', async () => {
    const { store, first } = await enrolled({ ...machine, dmiUuid: null });
    const identity = await establish(machineWith(machine), store).result;
    expect(identity.hardwareId).toBe(first.hardwareId);
    expect(identity.changedComponents).toEqual(['dmiUuid']);
    expect(store.saves).toHaveLength(2);
    expect(store.stored).toEqual({
      hardwareId: first.hardwareId,
      components: machine,
      enrolledAt: T0,
    });
  });

  it('takes a new ID on other hardware with the same disk (a clone), and enrols it', async () => {
    const { store, first } = await enrolled();
    const clone = {
      ...machine,
      dmiUuid: '11111111-2222-3333-4444-555555555555',
      mac: '00:aa:bb:cc:dd:ee',
    };
    const { result, log } = establish(machineWith(clone), store, null, T0 + 1000);
    const identity = await result;
    expect(identity.hardwareId).not.toBe(first.hardwareId);
    expect(identity.hardwareId).toMatch(HWID);
    expect(identity).toMatchObject({ source: 'composed', changedComponents: ['dmiUuid', 'mac'] });
    expect(identity.resolution).toMatchObject({
      kind: 'replaced',
      previousHardwareId: first.hardwareId,
    });
    expect(store.stored).toEqual({
      hardwareId: identity.hardwareId,
      components: clone,
      enrolledAt: T0 + 1000,
    });
    expect(log.entries.some((e) => e.level === 'warn')).toBe(true);
  });

  it('uses a configured ID over the machine and the enrolment, says so, and saves nothing', async () => {
    const { store, first } = await enrolled();
    const { result, log } = establish(machineWith(machine), store, 'line-3-press');
    const identity = await result;
    expect(identity).toMatchObject({
      hardwareId: 'line-3-press',
      source: 'override',
      changedComponents: [],
    });
    expect(identity.resolution).toMatchObject({
      kind: 'overridden',
      composedHardwareId: first.hardwareId,
    });
    expect(store.saves).toHaveLength(1);
    expect(log.entries).toContainEqual(
      expect.objectContaining({ message: 'hardware ID set by configuration' }),
    );
  });

  it('counts a blank configured ID as none', async () => {
    const { store, first } = await enrolled();
    const identity = await establish(machineWith(machine), store, '   ').result;
    expect(identity).toMatchObject({ hardwareId: first.hardwareId, source: 'composed' });
  });

  it('a configured ID identifies a machine that offers no facts', async () => {
    const store = new MemoryIdentityStore();
    const identity = await establish(noMachine, store, 'line-3-press').result;
    expect(identity).toMatchObject({ hardwareId: 'line-3-press', source: 'override' });
    expect(store.saves).toEqual([]);
  });

  it('refuses to start on a machine with no facts and no configured ID, with a stable code', async () => {
    const { store } = await enrolled();
    const { result } = establish(noMachine, store);
    await expect(result).rejects.toBeInstanceOf(UnidentifiableDeviceError);
    await expect(result).rejects.toMatchObject({ code: 'device_unidentifiable' });
    // The enrolment survives: the facts may be readable again on the next start.
    expect(store.saves).toHaveLength(1);
  });

  it.each(['corrupt', 'unreadable'] as const)(
    'a %s stored identity is logged and ignored: the machine is enrolled afresh',
    async (kind) => {
      const store = new MemoryIdentityStore();
      store.loadAs = { kind, reason: 'not JSON' };
      const { result, log } = establish(machineWith(machine), store);
      const identity = await result;
      expect(identity.resolution.kind).toBe('enrolled');
      expect(store.saves).toHaveLength(1);
      expect(log.entries).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          fields: { reason: 'not JSON', kind },
          message: 'stored identity ignored: enrolling from machine facts',
        }),
      );
    },
  );

  it('runs on the composed ID when the enrolment cannot be saved, and enrols again next start', async () => {
    const store = new MemoryIdentityStore();
    store.saveFailsWith = new Error('EROFS: read-only file system');
    const { result, log } = establish(machineWith(machine), store);
    const identity = await result;
    expect(identity.hardwareId).toMatch(HWID);
    expect(identity.resolution.kind).toBe('enrolled');
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        level: 'error',
        fields: { err: store.saveFailsWith },
        message: 'could not save the hardware identity',
      }),
    );

    store.saveFailsWith = null;
    const next = await establish(machineWith(machine), store).result;
    expect(next.hardwareId).toBe(identity.hardwareId);
    expect(next.resolution.kind).toBe('enrolled');
    expect(store.saves).toHaveLength(1);
  });

  it('fails the start with the error of a store that throws on load instead of answering', async () => {
    const store = new MemoryIdentityStore();
    const broken = new Error('EIO');
    store.load = () => Promise.reject(broken);
    await expect(establish(machineWith(machine), store).result).rejects.toBe(broken);
    expect(store.saves).toEqual([]);
  });
});
