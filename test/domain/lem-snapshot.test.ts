import { describe, expect, it } from 'vitest';
import type { LemOutcome, LemUsedDevice } from '../../src/domain/lem.js';
import { ownLemDevices } from '../../src/domain/lem-device.js';
import { applyLemPoll, emptyLemSnapshot, type LemPoll } from '../../src/domain/lem-snapshot.js';

function device(deviceId: string, macAddress: string | null): LemUsedDevice {
  return {
    projectId: 'p',
    deviceId,
    deviceName: null,
    deviceFriendlyName: null,
    macAddress,
    expiryFeatureDate: null,
    licenses: [
      {
        id: `id-${deviceId}`,
        licenseKey: `KEY-${deviceId}`,
        licenseSku: 'sku',
        status: 'OK',
        activationDate: null,
        expiryDate: null,
        expiryFeatureDate: null,
        isCore: true,
        isTrial: false,
      },
    ],
  };
}

const pool = [
  device('a', '00:1A:2B:3C:4D:5E'),
  device('b', '02-00-00-00-00-01'),
  device('c', null),
];

const outage: LemOutcome<never> = {
  kind: 'unreachable',
  cause: 'server_error',
  status: 503,
  transportCode: null,
  message: 'LEM is unreachable or restarting (HTTP 503)',
};

function poll(overrides: Partial<LemPoll> = {}): LemPoll {
  return {
    stats: { kind: 'ok', value: { active: 3, used: 3, unused: 1, expired: 0 } },
    skus: { kind: 'ok', value: [{ licenseSku: 'sku', count: 4, isCore: true }] },
    used: { kind: 'ok', value: pool },
    serverFeatures: { kind: 'ok', value: [] },
    licenseFeatures: { kind: 'ok', value: [] },
    ...overrides,
  };
}

describe("finding this device's LEM licences", () => {
  it.for([
    [{ kind: 'mac', mac: '00:1a:2b:3c:4d:5e' }, ['a']],
    [{ kind: 'mac', mac: '02:00:00:00:00:01' }, ['b']],
    [{ kind: 'mac', mac: 'not a mac' }, []],
    [{ kind: 'device-id', deviceId: 'c' }, ['c']],
    [{ kind: 'none' }, []],
  ] as const)('matching %j finds %j, whatever the MAC spelling', ([match, ids]) => {
    expect(ownLemDevices(pool, match).map((d) => d.deviceId)).toEqual(ids);
  });
});

describe('folding a LEM poll into the snapshot', () => {
  const match = { kind: 'mac', mac: '00:1a:2b:3c:4d:5e' } as const;

  it("keeps this device's entries without their licence keys, and the pool's size", () => {
    const snapshot = applyLemPoll(emptyLemSnapshot, poll(), 1000, match);
    expect(snapshot.used.value?.devices).toBe(3);
    expect(snapshot.used.value?.own.map((d) => d.deviceId)).toEqual(['a']);
    expect(JSON.stringify(snapshot)).not.toContain('KEY-');
  });

  it('keeps the last good answer of a part that fails, and records why', () => {
    const first = applyLemPoll(emptyLemSnapshot, poll(), 1000, match);
    const second = applyLemPoll(first, poll({ stats: outage }), 2000, match);
    expect(second.stats.value).toEqual(first.stats.value);
    expect(second.stats.okAt).toBe(1000);
    expect(second.stats.last).toEqual({
      at: 2000,
      kind: 'unreachable',
      label: 'server_error',
      message: 'LEM is unreachable or restarting (HTTP 503)',
    });
    expect(second.skus.okAt).toBe(2000);
  });
});
