import type { Ticker } from '../../agent/ports.js';

/**
 * Node's timers run on the monotonic clock, so an interval keeps its pace whatever is done to the
 * wall clock; cron, which schedules by the wall clock, stops firing when it is set back.
 */
export const monotonicTicker: Ticker = {
  every(ms, onTick) {
    const interval = setInterval(onTick, ms);
    // A watch must never keep a stopping process alive.
    interval.unref();
    return {
      stop: () => {
        clearInterval(interval);
      },
    };
  },
};
