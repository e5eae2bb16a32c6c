import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { longestCronGapMs } from '../../../src/adapters/clock/cron-scheduler.js';
import { monotonicTicker } from '../../../src/adapters/clock/monotonic-ticker.js';
import { systemClock } from '../../../src/adapters/clock/system-clock.js';

const HOUR = 3_600_000;

describe('the system monotonic clock', () => {
  it('is the one clock of the boot: another process reads it between two readings of ours', async () => {
    const before = systemClock.monotonic();
    const { stdout } = await promisify(execFile)(process.execPath, [
      '-e',
      'process.stdout.write(String(Number(process.hrtime.bigint() / 1000n) / 1000))',
    ]);
    const after = systemClock.monotonic();
    const theirs = Number(stdout);
    expect(theirs).toBeGreaterThanOrEqual(before);
    expect(theirs).toBeLessThanOrEqual(after);
  });
});

describe('the monotonic ticker', () => {
  it('ticks repeatedly until stopped, and not after', async () => {
    let ticks = 0;
    const task = monotonicTicker.every(10, () => (ticks += 1));
    while (ticks < 2) await sleep(10);
    task.stop();
    const stoppedAt = ticks;
    await sleep(50);
    expect(ticks).toBe(stoppedAt);
  });
});

describe("a cron schedule's longest gap", () => {
  it.each([
    ['0 */6 * * *', 6 * HOUR],
    ['*/30 * * * *', HOUR / 2],
    ['*/20 * * * * *', 20_000],
    // Friday 09:00 to Monday 09:00.
    ['0 9 * * 1-5', 72 * HOUR],
    ['17 3 * * *', 24 * HOUR],
  ])('of %s is %d ms', (expression, gap) => {
    expect(longestCronGapMs(expression)).toBe(gap);
  });

  it('of a dense schedule with a weekend off is the weekend, to within the day it started', () => {
    // Every minute of working hours: Friday 17:59 to Monday 09:00 is 63 h 1 min.
    const gap = longestCronGapMs('* 9-17 * * 1-5');
    expect(gap).toBeGreaterThan(2 * 24 * HOUR);
    expect(gap).toBeLessThanOrEqual(63 * HOUR + 60_000);
  });

  it('of a schedule that runs on 29 February only spans the years between', () => {
    expect(longestCronGapMs('0 0 29 2 *')).toBeGreaterThan(3 * 365 * 24 * HOUR);
  });
});
