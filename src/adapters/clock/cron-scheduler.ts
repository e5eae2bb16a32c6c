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
