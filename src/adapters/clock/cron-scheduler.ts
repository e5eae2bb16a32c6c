import cron from 'node-cron';
import type { Scheduler } from '../../agent/sync-loop.js';

/** Schedules on node-cron, in UTC so a fleet across time zones keeps one schedule. */
export const cronScheduler: Scheduler = {
  every(expression, onTick) {
    const task = cron.schedule(expression, onTick, { timezone: 'Etc/UTC', noOverlap: true });
    return {
      stop: () => {
        void task.stop();
      },
    };
  },
};
