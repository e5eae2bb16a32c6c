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
    };
  },
};

/** Past a year, every calendar cycle a five- or six-field schedule can express has come round. */
const GAP_HORIZON_MS = 400 * 24 * 3_600_000;
/** Enough runs for a year of hourly ticks; a schedule this dense has its longest gap long before. */
const GAP_MAX_RUNS = 10_000;
/** A fixed start, so the answer does not depend on when the agent asks. */
const GAP_FROM = new Date(Date.UTC(2024, 0, 1));

/**
 * The longest time between two runs of the schedule over a year of its runs (Infinity when it
 * never runs): the agent's safety net syncs when no sync has started for longer than this.
 */
export function longestCronGapMs(expression: string): number {
  const job = new Cron(expression, { ...IN_UTC, paused: true });
  let previous = GAP_FROM;
  let longest = 0;
  for (let runs = 0; runs < GAP_MAX_RUNS; runs++) {
    const next = job.nextRun(previous);
    if (next === null) break;
    longest = Math.max(longest, next.getTime() - previous.getTime());
    if (next.getTime() - GAP_FROM.getTime() > GAP_HORIZON_MS) break;
    previous = next;
  }
  job.stop();
  return longest === 0 ? Infinity : longest;
}
