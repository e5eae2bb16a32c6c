import { setTimeout as delay } from 'node:timers/promises';
import type { Clock, Random, Sleep } from '../../agent/ports.js';

/** The only place the agent reads the real time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  // process.hrtime is CLOCK_MONOTONIC: counted from boot for the whole system, not from this
  // process's start as performance.now() is, so a reading saved by one process of a boot still
  // measures time in the next (docs/behaviour.md, "Time").
  monotonic: () => Number(process.hrtime.bigint() / 1000n) / 1000,
};

export const systemSleep: Sleep = async (ms, signal) => {
  // unref: a pending backoff or splay must never keep a stopping process alive.
  await delay(ms, undefined, signal === undefined ? { ref: false } : { signal, ref: false });
};

export const systemRandom: Random = () => Math.random();
