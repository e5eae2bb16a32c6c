import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { cronScheduler, isValidCron } from '../../../src/adapters/clock/cron-scheduler.js';

/** Resolves with the number of ticks once `expression` has ticked, or with 0 after `withinMs`. */
async function firstTick(expression: string, withinMs: number): Promise<number> {
  let ticks = 0;
  const task = cronScheduler.every(expression, () => {
    ticks += 1;
  });
  const until = Date.now() + withinMs;
  while (ticks === 0 && Date.now() < until) await sleep(20);
  task.stop();
  return ticks;
}

describe('the cron scheduler', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('ticks on a schedule with a seconds field, and not after it is stopped', async () => {
    expect(await firstTick('* * * * * *', 2500)).toBe(1);
    let late = 0;
    cronScheduler.every('* * * * * *', () => (late += 1)).stop();
    await sleep(1200);
    expect(late).toBe(0);
  });

  it('reads the hours of a schedule in UTC, not in the local time zone', async () => {
    process.env.TZ = 'Asia/Kolkata'; // UTC+5:30: no local hour is a UTC hour
    const hour = new Date().getUTCHours();
    const utcHours = `${String(hour)},${String((hour + 1) % 24)}`;
    expect(await firstTick(`* * ${utcHours} * * *`, 2500)).toBe(1);
  });

  it('accepts five fields, or six with seconds first, and refuses anything else', () => {
    expect(isValidCron('*/30 * * * *')).toBe(true);
    expect(isValidCron('0 */5 * * * *')).toBe(true);
    expect(isValidCron('every day')).toBe(false);
    expect(isValidCron('61 * * * *')).toBe(false);
    expect(isValidCron('* * * *')).toBe(false);
  });
});
