import { describe, expect, it } from 'vitest';
import { watchdogIntervalMs } from '../../../src/adapters/systemd/watchdog.js';

describe('the watchdog interval', () => {
  it.each([
    ['half of WATCHDOG_USEC, in ms', { WATCHDOG_USEC: '30000000' }, 15_000],
    [
      'the pings when WATCHDOG_PID is this process',
      { WATCHDOG_USEC: '2000000', WATCHDOG_PID: '42' },
      1_000,
    ],
    ['no pings without WATCHDOG_USEC', {}, null],
    ['no pings for another process', { WATCHDOG_USEC: '2000000', WATCHDOG_PID: '7' }, null],
    ['no pings for a value that is not a number', { WATCHDOG_USEC: '30s' }, null],
    ['no pings for zero', { WATCHDOG_USEC: '0' }, null],
  ])('%s', (_name, env, expected) => {
    expect(watchdogIntervalMs(env, 42)).toBe(expected);
  });
});
