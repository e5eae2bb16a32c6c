// Figures over the server's per-second request counts.

/** Requests per second over seconds [from, to). */
export function meanRate(perSecond, [from, to]) {
  let sum = 0;
  for (let s = from; s < to; s++) sum += perSecond[s];
  return sum / (to - from);
}

/** The busiest single second in [from, to). */
export function peakSecond(perSecond, [from, to]) {
  let peak = 0;
  for (let s = from; s < to; s++) peak = Math.max(peak, perSecond[s]);
  return peak;
}

/** The highest rate over any `width` consecutive seconds lying wholly in [from, to), per second. */
export function peakWindow(perSecond, [from, to], width = 60) {
  let sum = 0;
  for (let s = from; s < Math.min(to, from + width); s++) sum += perSecond[s];
  let peak = sum;
  for (let s = from + width; s < to; s++) {
    sum += perSecond[s] - perSecond[s - width];
    peak = Math.max(peak, sum);
  }
  return peak / width;
}

export function total(perSecond, [from, to]) {
  let sum = 0;
  for (let s = from; s < to; s++) sum += perSecond[s];
  return sum;
}

/** The longest run of consecutive minutes in [from, to) that each saw at least one 429. */
export function longestMinutesWith(perSecond, [from, to]) {
  let run = 0;
  let longest = 0;
  for (let m = from; m < to; m += 60) {
    run = total(perSecond, [m, Math.min(to, m + 60)]) > 0 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

export function maxAndMean(values) {
  let max = 0;
  let sum = 0;
  for (const v of values) {
    max = Math.max(max, v);
    sum += v;
  }
  return { max, mean: sum / values.length };
}
