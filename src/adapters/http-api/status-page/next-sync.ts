import { Cron } from 'croner';

/** As the scheduler runs it: UTC, by offset (see cron-scheduler.ts for why not by name). */
const IN_UTC = { utcOffset: 0 } as const;

/**
 * When the next scheduled sync starts: the first tick whose splay has not yet run out, plus the
 * splay. A tick that passed moments ago is still pending while its splay delay runs.
 */
export function nextSyncAt(schedule: string, splayMs: number, now: number): Date | null {
  try {
    const tick = new Cron(schedule, IN_UTC).nextRun(new Date(now - splayMs));
    return tick === null ? null : new Date(tick.getTime() + splayMs);
  } catch {
    return null;
  }
}
