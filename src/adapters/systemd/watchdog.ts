/**
 * How often to ping the watchdog: half of $WATCHDOG_USEC, as sd_watchdog_enabled(3) advises, and
 * only when the pings are asked of this process ($WATCHDOG_PID unset or ours: a child that
 * inherited the variables must not ping for its parent). Null when no watchdog is asked for.
 */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid: number): number | null {
  const usec = env['WATCHDOG_USEC'];
  if (usec === undefined || !/^[1-9][0-9]*$/.test(usec)) return null;
  const forPid = env['WATCHDOG_PID'];
  if (forPid !== undefined && forPid !== '' && forPid !== String(pid)) return null;
  return Math.max(1, Math.floor(Number(usec) / 2_000));
}
