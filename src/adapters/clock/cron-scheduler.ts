import { Cron, CronPattern } from 'croner';
import type { Scheduler } from '../../agent/sync-loop.js';

/**
 * UTC, so that a fleet across time zones keeps one schedule; given as an offset, not as the zone
 * name 'UTC': croner resolves a zone name through Intl.DateTimeFormat, which maps megabytes of
 * ICU locale data into the agent's memory, and UTC has no daylight saving to resolve.
 */
const IN_UTC = { utcOffset: 0 } as const;

/** Whether croner accepts the expression: five fields, or six with seconds first. */
export function isValidCron(expression: string): boolean {
  try {
    new CronPattern(expression);
    return true;
  } catch {
    return false;
  }
}

/** Schedules on croner, in UTC. */
export const cronScheduler: Scheduler = {
  every(expression, onTick) {
    const job = new Cron(expression, IN_UTC, onTick);
    return {
      stop: () => {
        job.stop();
      },
      next: () => job.nextRun()?.getTime() ?? null,
    };
  },
};

/** Past a year, every calendar cycle a schedule can express has come round (29 February aside). */
const GAP_HORIZON_MS = 400 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;
/** Croner takes tens of microseconds a run: this many keeps the whole search near 30 ms. */
const GAP_MAX_RUNS = 1_000;
/** A fixed start, so the answer does not depend on when the agent asks. */
const GAP_FROM = Date.UTC(2024, 0, 1);

/**
 * The longest time between two runs of the schedule (Infinity when it never runs), for the
 * agent's safety net, which syncs when no sync has started for longer than this plus the splay.
 *
 * Walking a year of runs of a dense schedule would take croner a second, so two cheaper looks
 * are combined: the first runs one after another (exact for the gaps they span, which is all of
 * them for a schedule that repeats daily), and the first run after each midnight of the year
 * (which finds a gap of days, as a weekend, to within the day it started). An estimate short of
 * the truth costs at most one early sync in that gap.
 */
export function longestCronGapMs(expression: string): number {
  const job = new Cron(expression, { ...IN_UTC, paused: true });
  const next = (after: number) => job.nextRun(new Date(after))?.getTime() ?? null;
  let longest = 0;
  let previous = GAP_FROM;
  for (let runs = 0; runs < GAP_MAX_RUNS; runs++) {
    const run = next(previous);
    if (run === null) break;
    longest = Math.max(longest, run - previous);
    previous = run;
    if (run - GAP_FROM > GAP_HORIZON_MS) break;
  }
  for (let day = GAP_FROM; day - GAP_FROM < GAP_HORIZON_MS; day += DAY_MS) {
    const run = next(day);
    if (run === null) break;
    longest = Math.max(longest, run - day);
  }
  job.stop();
  return longest === 0 ? Infinity : longest;
}
