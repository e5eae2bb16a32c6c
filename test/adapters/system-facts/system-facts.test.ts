import { chmod, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSystemFacts } from '../../../src/adapters/system-facts/system-facts.js';
import { readTextFile, type ReadText } from '../../../src/adapters/system-facts/read-text.js';
import { GATEWAY, addFile, addNic, ether, makeRoot } from './fake-sysfs.js';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

async function root(): Promise<string> {
  const made = await makeRoot();
  roots.push(made);
  return made;
}

const MACHINE_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const UUID = '4c4c4544-0051-3010-8052-b4c04f4e4d32';
const isRoot = process.getuid?.() === 0;

describe('createSystemFacts: the NIC', () => {
  it('chooses the wired, fixed NIC with the lowest permanent MAC, even with its link down', async () => {
    const sys = await root();
    for (const nic of GATEWAY) await addNic(sys, nic);
    const facts = await createSystemFacts({
      sysfsRoot: sys,
      etcRoot: sys,
      credentialsDirectory: undefined,
    }).read();
    expect(facts.components.mac).toBe('00:1b:21:3a:4f:5c');
    expect(facts.sources.mac).toEqual([{ source: `${sys}/class/net/eth0`, result: 'used' }]);
  });

  it('says why each interface was accepted or rejected', async () => {
    const sys = await root();
    for (const nic of GATEWAY) await addNic(sys, nic);
    const facts = await createSystemFacts({ sysfsRoot: sys, etcRoot: sys }).read();
    const verdicts = Object.fromEntries(
      facts.interfaces.map((v) => [
        v.name,
        v.kind === 'rejected' ? v.reason : v.kind === 'passed-over' ? v.why : v.kind,
      ]),
    );
    expect(verdicts).toEqual({
      lo: 'not-ethernet',
      eth0: 'primary',
      enp3s0: 'higher-mac',
      docker0: 'bridge',
      'br-5f1e': 'bridge',
      veth3a9c: 'virtual',
      bond0: 'bond',
      eth2: 'higher-mac',
      wlan0: 'address-not-permanent',
      wlan1: 'wireless-while-wired-exists',
      enx000ec6000001: 'usb-while-fixed-exists',
      tun0: 'not-ethernet',
      dummy0: 'locally-administered-address',
    });
    expect(facts.interfaces.map((v) => v.name)).toEqual(
      [...facts.interfaces.map((v) => v.name)].sort(),
    );
  });

  it('identifies a bond slave by its permanent address, not the bond address it wears', async () => {
    const sys = await root();
    await addNic(
      sys,
      GATEWAY.find((nic) => nic.name === 'eth2')!,
    );
    const facts = await createSystemFacts({ sysfsRoot: sys, etcRoot: sys }).read();
    expect(facts.components.mac).toBe('00:1b:21:7f:00:01');
  });

  it('chooses the same NIC whatever the names and the order they were created in', async () => {
    const renamed = await root();
    const nics = [...GATEWAY]
      .reverse()
      .map((nic) =>
        nic.name === 'eth0'
          ? { ...nic, name: 'enp0s31f6' }
          : nic.name === 'enp3s0'
            ? { ...nic, name: 'eth0' }
            : nic,
      );
    for (const nic of nics) await addNic(renamed, nic);
    const facts = await createSystemFacts({ sysfsRoot: renamed, etcRoot: renamed }).read();
    expect(facts.components.mac).toBe('00:1b:21:3a:4f:5c');
  });

  it('falls back to a wireless NIC with a permanent address when there is no wired one', async () => {
    const sys = await root();
    for (const nic of GATEWAY.filter((n) => ['lo', 'docker0', 'wlan0', 'wlan1'].includes(n.name))) {
      await addNic(sys, nic);
    }
    const facts = await createSystemFacts({ sysfsRoot: sys, etcRoot: sys }).read();
    expect(facts.components.mac).toBe('00:0a:f5:00:00:01');
  });

  it('reports no MAC, with the reason, when no interface is eligible or sysfs is missing', async () => {
    const sys = await root();
    const facts = await createSystemFacts({ sysfsRoot: sys, etcRoot: sys }).read();
    expect(facts.components.mac).toBeNull();
    expect(facts.sources.mac).toEqual([
      { source: `${sys}/class/net`, result: 'not-found', detail: 'no eligible NIC' },
    ]);
    expect(facts.interfaces).toEqual([]);
  });

  it('rejects a physical NIC whose address was set by software', async () => {
    const sys = await root();
    await addNic(sys, {
      name: 'eth0',
      parent: 'pci0000:00/0000:00:1f.6',
      files: ether('00:1b:21:3a:4f:5c', 3),
    });
    const facts = await createSystemFacts({ sysfsRoot: sys, etcRoot: sys }).read();
    expect(facts.interfaces).toEqual([
      {
        kind: 'rejected',
        name: 'eth0',
        mac: '00:1b:21:3a:4f:5c',
        reason: 'address-not-permanent',
        detail: 'addr_assign_type 3',
      },
    ]);
  });
});

describe('createSystemFacts: machine-id', () => {
  it('reads <etc>/machine-id', async () => {
    const etc = await root();
    await addFile(etc, 'machine-id', `${MACHINE_ID}\n`);
    const facts = await createSystemFacts({ sysfsRoot: etc, etcRoot: etc }).read();
    expect(facts.components.machineId).toBe(MACHINE_ID);
    expect(facts.sources.machineId).toEqual([{ source: join(etc, 'machine-id'), result: 'used' }]);
  });

  it('treats systemd’s first-boot `uninitialized` as absent', async () => {
    const etc = await root();
    await addFile(etc, 'machine-id', 'uninitialized\n');
    const facts = await createSystemFacts({ sysfsRoot: etc, etcRoot: etc }).read();
    expect(facts.components.machineId).toBeNull();
    expect(facts.sources.machineId[0]).toMatchObject({
      result: 'placeholder',
      detail: 'uninitialized',
    });
  });
});

describe('createSystemFacts: DMI UUID', () => {
  const productUuid = 'class/dmi/id/product_uuid';

  it('prefers the UUID systemd handed over as a credential', async () => {
    const sys = await root();
    const credentials = await root();
    await addFile(credentials, 'dmi-product-uuid', `${UUID.toUpperCase()}\n`);
    await addFile(sys, productUuid, '11111111-2222-3333-4444-555555555555\n');
    const facts = await createSystemFacts({
      sysfsRoot: sys,
      etcRoot: sys,
      credentialsDirectory: credentials,
    }).read();
    expect(facts.components.dmiUuid).toBe(UUID);
    expect(facts.sources.dmiUuid).toEqual([
      { source: join(credentials, 'dmi-product-uuid'), result: 'used' },
    ]);
  });

  it('reads sysfs when there is no credential (a service running as root)', async () => {
    const sys = await root();
    await addFile(sys, productUuid, `${UUID}\n`);
    const facts = await createSystemFacts({
      sysfsRoot: sys,
      etcRoot: sys,
      credentialsDirectory: undefined,
    }).read();
    expect(facts.components.dmiUuid).toBe(UUID);
    expect(facts.sources.dmiUuid).toEqual([
      expect.objectContaining({
        result: 'not-found',
        detail: expect.stringContaining('CREDENTIALS_DIRECTORY'),
      }),
      { source: join(sys, productUuid), result: 'used' },
    ]);
  });

  // Root reads a 0400 or 000 file anyway, so the denial root never sees is injected here; the test
  // below exercises the real one when the suite runs unprivileged.
  it('treats a root-only product_uuid as absent, with the reason, and does not guess elsewhere', async () => {
    const sys = await root();
    const denied = await addFile(sys, productUuid, `${UUID}\n`);
    await addFile(sys, 'firmware/devicetree/base/serial-number', '10000000abcdef01\0');
    const readText: ReadText = (path) =>
      path === denied
        ? Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))
        : readTextFile(path);
    const facts = await createSystemFacts({ sysfsRoot: sys, etcRoot: sys, readText }).read();
    expect(facts.components.dmiUuid).toBeNull();
    expect(facts.sources.dmiUuid.at(-1)).toEqual({
      source: denied,
      result: 'permission-denied',
      detail: 'EACCES',
    });
  });

  it.skipIf(isRoot)(
    'treats a real mode-000 product_uuid as absent (unprivileged runs only)',
    async () => {
      const sys = await root();
      const denied = await addFile(sys, productUuid, `${UUID}\n`);
      await chmod(denied, 0o000);
      const facts = await createSystemFacts({ sysfsRoot: sys, etcRoot: sys }).read();
      expect(facts.components.dmiUuid).toBeNull();
      expect(facts.sources.dmiUuid.at(-1)).toMatchObject({ result: 'permission-denied' });
    },
  );

  it.each([
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '03000200-0400-0500-0006-000700080009',
    'Not Settable',
  ])('ignores the firmware placeholder %s', async (placeholder) => {
    const sys = await root();
    await addFile(sys, productUuid, `${placeholder}\n`);
    const facts = await createSystemFacts({
      sysfsRoot: sys,
      etcRoot: sys,
      credentialsDirectory: undefined,
    }).read();
    expect(facts.components.dmiUuid).toBeNull();
    expect(facts.sources.dmiUuid.at(-1)).toMatchObject({ result: 'placeholder' });
  });

  it('uses the device-tree serial on a board without DMI', async () => {
    const sys = await root();
    await addFile(sys, 'firmware/devicetree/base/serial-number', '10000000ABCDEF01\0');
    const facts = await createSystemFacts({
      sysfsRoot: sys,
      etcRoot: sys,
      credentialsDirectory: undefined,
    }).read();
    expect(facts.components.dmiUuid).toBe('10000000abcdef01');
    expect(facts.sources.dmiUuid.map((a) => a.result)).toEqual(['not-found', 'not-found', 'used']);
  });

  it('reports absence, not an error, on a machine with neither DMI nor a device tree', async () => {
    const sys = await root();
    const facts = await createSystemFacts({
      sysfsRoot: sys,
      etcRoot: sys,
      credentialsDirectory: '',
    }).read();
    expect(facts.components).toEqual({ mac: null, machineId: null, dmiUuid: null });
  });
});
