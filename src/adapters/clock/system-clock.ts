import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { Clock, Random, Sleep } from '../../agent/ports.js';

/** The only place the agent reads the real time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

export const systemSleep: Sleep = async (ms, signal) => {
  // unref: a pending backoff or splay must never keep a stopping process alive.
  await delay(ms, undefined, signal === undefined ? { ref: false } : { signal, ref: false });
};

export const systemRandom: Random = () => Math.random();
