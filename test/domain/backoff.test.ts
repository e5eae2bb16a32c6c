import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextAttempt } from '../../src/domain/backoff.js';
import { splayOffsetMs } from '../../src/domain/splay.js';

const policy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

describe('backoff', () => {
  it('the ceiling doubles with each failed attempt', () => {
    const almostOne = 0.999999;
    expect(nextAttempt(policy, 1, null, almostOne)).toEqual({ kind: 'retry', delayMs: 999 });
    expect(nextAttempt(policy, 2, null, almostOne)).toEqual({ kind: 'retry', delayMs: 1999 });
    expect(nextAttempt(policy, 3, null, almostOne)).toEqual({ kind: 'retry', delayMs: 3999 });
  });

  it('full jitter can retry at once', () => {
    expect(nextAttempt(policy, 3, null, 0)).toEqual({ kind: 'retry', delayMs: 0 });
  });

  it('never exceeds the maximum delay', () => {
    const big = { ...policy, attempts: 100 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (n, r) => {
          const next = nextAttempt(big, n, null, r);
          return next.kind === 'retry' && next.delayMs >= 0 && next.delayMs < big.maxDelayMs;
        },
      ),
    );
  });

  it('gives up once the attempts are spent', () => {
    expect(nextAttempt(policy, 4, null, 0.5)).toEqual({
      kind: 'give-up',
      reason: 'attempts_exhausted',
    });
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(nextAttempt(policy, 1, 30_000, 0.1)).toEqual({ kind: 'retry', delayMs: 30_000 });
  });

  it('a Retry-After beyond the cap ends the cycle instead of hammering or hanging', () => {
    expect(nextAttempt(policy, 1, 120_000, 0.1)).toEqual({
      kind: 'give-up',
      reason: 'retry_after_too_long',
    });
  });
});

describe('splay', () => {
  it('is the same for the same device every time', () => {
    expect(splayOffsetMs('device-a', 300_000)).toBe(splayOffsetMs('device-a', 300_000));
  });

  it('stays inside the window', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 86_400_000 }), (seed, window) => {
        const offset = splayOffsetMs(seed, window);
        return offset >= 0 && offset < window;
      }),
    );
  });

  it('spreads a fleet evenly: 10,000 devices fill 10 slices of the window within 15% of the mean', () => {
    const window = 300_000;
    const slices = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const offset = splayOffsetMs(`els1-device-${String(i).padStart(5, '0')}`, window);
      slices[Math.floor((offset / window) * 10)]! += 1;
    }
    for (const count of slices) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  it('no window means no delay', () => {
    expect(splayOffsetMs('device-a', 0)).toBe(0);
  });
});
