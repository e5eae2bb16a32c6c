import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseNic,
  type InterfaceFacts,
} from '../../../src/adapters/system-facts/nic-selection.js';

function nic(name: string, mac: string, extra: Partial<InterfaceFacts> = {}): InterfaceFacts {
  return {
    name,
    type: 1,
    virtual: false,
    hasDeviceLink: true,
    usb: false,
    bridge: false,
    bond: false,
    wireless: false,
    address: mac,
    addressAssignType: 0,
    permanentAddress: null,
    ...extra,
  };
}

const fleet: readonly InterfaceFacts[] = [
  nic('eth0', '00:1b:21:3a:4f:5c'),
  nic('eth1', '00:1b:21:3a:4f:5d'),
  nic('wlan0', '00:0a:f5:00:00:01', { wireless: true }),
  nic('enx0', '00:0e:c6:00:00:01', { usb: true }),
  nic('docker0', '02:42:ac:11:00:01', { virtual: true, bridge: true, hasDeviceLink: false }),
  nic('veth0', '5a:1c:33:44:55:66', { virtual: true, hasDeviceLink: false, addressAssignType: 1 }),
  nic('wlan1', '7e:11:22:33:44:55', { wireless: true, addressAssignType: 3 }),
];

describe('chooseNic', () => {
  it('chooses the same MAC whatever the discovery order and the names', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...fleet], { minLength: fleet.length, maxLength: fleet.length }),
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{1,14}$/), {
          minLength: fleet.length,
          maxLength: fleet.length,
        }),
        (shuffled, names) => {
          const renamed = shuffled.map((facts, i) => ({ ...facts, name: names[i]! }));
          expect(chooseNic(renamed).mac).toBe('00:1b:21:3a:4f:5c');
        },
      ),
    );
  });

  it('lists exactly one primary, and every interface once', () => {
    const { verdicts } = chooseNic(fleet);
    expect(verdicts.filter((v) => v.kind === 'primary')).toHaveLength(1);
    expect(verdicts.map((v) => v.name).sort()).toEqual(fleet.map((f) => f.name).sort());
  });

  it('prefers a fixed wired NIC over a USB one, and a USB one over wireless', () => {
    expect(chooseNic(fleet.filter((f) => f.name !== 'eth0' && f.name !== 'eth1')).mac).toBe(
      '00:0e:c6:00:00:01',
    );
    expect(chooseNic(fleet.filter((f) => f.wireless)).mac).toBe('00:0a:f5:00:00:01');
  });

  it('accepts dash-separated, upper-case addresses and reports them normalised', () => {
    expect(chooseNic([nic('eth0', '00-1B-21-3A-4F-5C')]).mac).toBe('00:1b:21:3a:4f:5c');
  });

  it.each([
    ['all-zero-address', '00:00:00:00:00:00'],
    ['multicast-address', '01:00:5e:00:00:01'],
    ['locally-administered-address', '02:00:00:00:00:01'],
    ['no-address', 'not-a-mac'],
  ])('rejects an interface for %s (%s)', (reason, mac) => {
    expect(chooseNic([nic('eth0', mac)])).toMatchObject({
      mac: null,
      verdicts: [{ kind: 'rejected', reason }],
    });
  });
});
