import { describe, expect, it } from 'vitest';
import {
  budgetFreesAt,
  DEFAULT_CADENCE,
  nextSync,
  type Boundary,
  type CadenceInput,
  type SyncSpend,
} from '../../src/domain/cadence.js';
import { HOUR, MINUTE } from '../../src/domain/time.js';

const NOW = Date.UTC(2026, 11, 4, 12);
const DAY = 24 * HOUR;

function input(over: Partial<CadenceInput> = {}): CadenceInput {
  return {
    now: NOW,
    lastSyncAt: NOW,
    boundaries: [],
    recent: [],
    callsPerSync: 3,
    rateLimitedUntil: null,
    ...over,
  };
}

const expiry = (inMs: number): Boundary => ({ at: NOW + inMs, kind: 'license_expiry' });

describe('when the next sync runs', () => {
  it.each([
    ['nothing near', [], HOUR, 'steady'],
    ['an expiry in 3 days', [expiry(3 * DAY)], HOUR, 'steady'],
    ['an expiry in 3 hours', [expiry(3 * HOUR)], 45 * MINUTE, 'approaching'],
    [
      'grace ending in 2 hours',
      [{ at: NOW + 2 * HOUR, kind: 'grace_end' }],
      30 * MINUTE,
      'approaching',
    ],
    ['an expiry in 40 minutes', [expiry(40 * MINUTE)], 10 * MINUTE, 'approaching'],
    ['an expiry in 12 minutes', [expiry(12 * MINUTE)], 5 * MINUTE, 'approaching'],
  ] as const)('%s: after %d ms, %s', (_, boundaries, after, reason) => {
    const next = nextSync(input({ boundaries }), DEFAULT_CADENCE);
    expect(next.at - NOW).toBe(after);
    expect(next.reason).toBe(reason);
  });

  it('an expiry in 3 minutes: just past it, to learn what it changed', () => {
    const next = nextSync(
      input({ lastSyncAt: NOW - 10 * MINUTE, boundaries: [expiry(3 * MINUTE)] }),
      DEFAULT_CADENCE,
    );
    expect(next).toEqual({
      at: NOW + 3 * MINUTE + 30_000,
      reason: 'after_boundary',
      boundary: expiry(3 * MINUTE),
    });
  });

  it('follows the nearest boundary ahead and ignores those passed', () => {
    const boundaries = [
      expiry(-HOUR),
      expiry(5 * DAY),
      { at: NOW + 2 * HOUR, kind: 'feature_expiry' } as const,
    ];
    expect(nextSync(input({ boundaries }), DEFAULT_CADENCE)).toMatchObject({
      reason: 'approaching',
      boundary: { kind: 'feature_expiry' },
    });
  });

  it('never runs sooner than the shortest gap after the last sync, nor in the past', () => {
    const soon = nextSync(input({ boundaries: [expiry(MINUTE)] }), DEFAULT_CADENCE);
    expect(soon.at).toBe(NOW + 5 * MINUTE);
    const overdue = nextSync(input({ lastSyncAt: NOW - 3 * HOUR }), DEFAULT_CADENCE);
    expect(overdue.at).toBe(NOW);
    expect(nextSync(input({ lastSyncAt: null }), DEFAULT_CADENCE).at).toBe(NOW + HOUR);
  });

  it('waits out a 429 for the whole device, boundary or not', () => {
    const next = nextSync(
      input({ boundaries: [expiry(20 * MINUTE)], rateLimitedUntil: NOW + 40 * MINUTE }),
      DEFAULT_CADENCE,
    );
    expect(next).toEqual({ at: NOW + 40 * MINUTE, reason: 'rate_limited', boundary: null });
  });

  it('waits until the last 24 hours leave room in the call budget', () => {
    // 83 syncs of 3 calls in the last day: 249 spent, so a 3-call sync waits for the oldest to age out.
    const recent: SyncSpend[] = Array.from({ length: 83 }, (_, i) => ({
      at: NOW - DAY + (i + 1) * 15 * MINUTE,
      calls: 3,
    }));
    const next = nextSync(input({ recent, boundaries: [expiry(10 * MINUTE)] }), DEFAULT_CADENCE);
    expect(next.reason).toBe('budget');
    expect(next.at).toBe(recent[0]!.at + DAY);
  });
});

describe('the daily call budget', () => {
  it('frees at once when the last day spent little', () => {
    expect(budgetFreesAt([{ at: NOW - HOUR, calls: 10 }], 3, 250, NOW)).toBe(NOW);
  });

  it('holds over a simulated day of boundaries every two hours, whatever each sync costs', () => {
    for (const callsPerSync of [1, 3, 8, 20]) {
      const boundaries: Boundary[] = Array.from({ length: 12 }, (_, i) => ({
        at: NOW + (i + 1) * 2 * HOUR - 7 * MINUTE,
        kind: 'floating_timeout',
      }));
      const spent: SyncSpend[] = [];
      let at = NOW;
      while (at < NOW + 2 * DAY) {
        spent.push({ at, calls: callsPerSync });
        at = nextSync(
          {
            now: at,
            lastSyncAt: at,
            boundaries,
            recent: spent,
            callsPerSync,
            rateLimitedUntil: null,
          },
          DEFAULT_CADENCE,
        ).at;
      }
      for (const s of spent) {
        const day = spent.filter((o) => o.at > s.at - DAY && o.at <= s.at);
        expect(day.reduce((sum, o) => sum + o.calls, 0)).toBeLessThanOrEqual(250);
      }
    }
  });
});
