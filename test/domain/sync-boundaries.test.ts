import { describe, expect, it } from 'vitest';
import { slotAtOrAfter } from '../../src/domain/cadence.js';
import type { AgentState } from '../../src/domain/grace.js';
import { syncBoundaries } from '../../src/domain/sync-boundaries.js';
import { HOUR, MINUTE } from '../../src/domain/time.js';
import { initialTimeline } from '../../src/domain/trust-timeline.js';
import { evidence, feature, license, T0 } from './license-builders.js';

const GRACE = 72 * HOUR;

function holding(
  licenses: ReturnType<typeof license>[],
  trust: Partial<AgentState['trust']> = {},
): AgentState {
  return {
    observations: {
      licenses: { kind: 'licenses', licenses, verifiedAt: T0, evidence, serverDate: null },
      featureChecks: new Map(),
    },
    trust: { ...initialTimeline, lastGenuineAt: T0, ...trust },
  };
}

describe('the boundaries the cadence syncs toward', () => {
  it("a licence's end and the end of the vendor's grace after it", () => {
    const state = holding([license({ validUntil: T0 + 3 * HOUR, graceHours: 2, features: [] })]);
    expect(syncBoundaries(state, GRACE)).toEqual([
      { at: T0 + 3 * HOUR, kind: 'license_expiry' },
      { at: T0 + 5 * HOUR, kind: 'license_expiry' },
    ]);
  });

  it("a feature's expiry", () => {
    const state = holding([license({ features: [feature({ expiresAt: T0 + HOUR })] })]);
    expect(syncBoundaries(state, GRACE)).toEqual([{ at: T0 + HOUR, kind: 'feature_expiry' }]);
  });

  it('the end of the offline grace only while the server cannot be reached', () => {
    const calm = holding([license({ features: [] })]);
    expect(syncBoundaries(calm, GRACE)).toEqual([]);
    const failing = holding([license({ features: [] })], { failingSince: T0 + HOUR });
    expect(syncBoundaries(failing, GRACE)).toEqual([{ at: T0 + GRACE, kind: 'grace_end' }]);
  });

  it('nothing from a disabled licence, which refuses whatever its dates say', () => {
    const state = holding([license({ enabled: false, validUntil: T0 + HOUR, features: [] })]);
    expect(syncBoundaries(state, GRACE)).toEqual([]);
  });
});

describe("a device's slot", () => {
  it('is the next instant at its phase within each interval', () => {
    const hourStart = Date.parse('2026-03-01T12:00:00Z');
    expect(slotAtOrAfter(hourStart + 10 * MINUTE, 25 * MINUTE, HOUR)).toBe(hourStart + 25 * MINUTE);
    expect(slotAtOrAfter(hourStart + 30 * MINUTE, 25 * MINUTE, HOUR)).toBe(
      hourStart + HOUR + 25 * MINUTE,
    );
  });

  it('is now when now is on it', () => {
    const onSlot = Date.parse('2026-03-01T12:25:00Z');
    expect(slotAtOrAfter(onSlot, 25 * MINUTE, HOUR)).toBe(onSlot);
  });
});
