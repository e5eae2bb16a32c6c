// The soak's rule for "grows without bound", on samples { t (ms from the first sample), values }.
// The run is cut in tenths of its sampled time. The first tenth is warm-up (code compiled, pools
// filled, the heap grown to its working size) and is shown but not judged. For each measure:
//   early = median over the second tenth, late = median over the last tenth,
//   slope = least-squares slope over the second half, per hour.
// A measure FAILS when both hold:
//   (a) late - early > its growth allowance (an absolute floor or a share of early, the larger),
//   (b) slope x 24 h > its daily allowance.
// (a) alone would fail a level that stepped up once and stays there; (b) alone would fail the noise
// of a short window. Together: it grew over the run and is still growing at its end.

/** Per measure: growth allowance (a) and daily allowance (b), both from `early`. */
export const MEASURES = [
  {
    key: 'rssMiB',
    label: 'RSS',
    unit: 'MiB',
    growth: (early) => Math.max(5, 0.1 * early),
    perDay: (early) => early,
    rule: 'late > early + max(5 MiB, 10%) and 24 h slope > early (doubles in a day)',
  },
  {
    key: 'heapAfterGcMiB',
    label: 'heap after major GC',
    unit: 'MiB',
    growth: (early) => Math.max(3, 0.15 * early),
    perDay: (early) => early,
    rule: 'late > early + max(3 MiB, 15%) and 24 h slope > early (doubles in a day)',
    // A short run may see no major GC after warm-up: nothing to judge then, rather than a failure.
    unmeasuredWithoutMajorGc: true,
  },
  {
    // Shown, not judged: a sawtooth between major GCs (minutes apart here), whose tenths' medians
    // say where in a cycle each tenth fell more than whether live data grew.
    key: 'heapMiB',
    label: 'heap used (raw)',
    unit: 'MiB',
    judged: false,
    growth: (early) => Math.max(3, 0.15 * early),
    perDay: (early) => early,
    rule: 'not judged: the sawtooth between major GCs; see heap after major GC',
  },
  {
    key: 'fds',
    label: 'open fds',
    unit: 'fds',
    growth: () => 5,
    perDay: () => 100,
    rule: 'late > early + 5 and 24 h slope > 100 fds',
  },
  {
    key: 'lagP99Ms',
    label: 'event-loop delay p99',
    unit: 'ms',
    growth: (early) => Math.max(10, 0.5 * early),
    perDay: () => 100,
    rule: 'late > early + max(10 ms, 50%) and 24 h slope > 100 ms',
  },
];

const HOUR_MS = 3_600_000;

export function median(xs) {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Least-squares slope of y over t (ms), per hour; 0 with fewer than two distinct instants. */
export function slopePerHour(points) {
  const n = points.length;
  if (n < 2) return 0;
  const meanT = points.reduce((s, p) => s + p.t, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const { t, y } of points) {
    num += (t - meanT) * (y - meanY);
    den += (t - meanT) ** 2;
  }
  return den === 0 ? 0 : (num / den) * HOUR_MS;
}

/** Medians of each tenth named in the table, the slope, and the verdict, per measure. */
export function judge(samples) {
  const t0 = samples[0]?.t ?? 0;
  const span = (samples.at(-1)?.t ?? 0) - t0;
  const within = (from, to) =>
    samples.filter((s) => s.t - t0 >= from * span && s.t - t0 <= to * span);
  const tenth = (from, to, key) =>
    median(
      within(from, to)
        .map((s) => s.values[key])
        .filter(Number.isFinite),
    );
  /** The second tenth's median; for a measure first seen later (the heap after the first major
   * GC), its first value after warm-up. */
  const earlyOf = (key) => {
    const early = tenth(0.1, 0.2, key);
    if (Number.isFinite(early)) return early;
    return within(0.1, 1)
      .map((s) => s.values[key])
      .find(Number.isFinite);
  };
  return MEASURES.map((m) => {
    const warmup = tenth(0, 0.1, m.key);
    const early = earlyOf(m.key) ?? NaN;
    const late = tenth(0.9, 1, m.key);
    const slope = slopePerHour(
      within(0.5, 1)
        .filter((s) => Number.isFinite(s.values[m.key]))
        .map((s) => ({ t: s.t, y: s.values[m.key] })),
    );
    const grew = late - early > m.growth(early);
    const growing = slope * 24 > m.perDay(early);
    const measured = [early, late].every(Number.isFinite);
    return {
      ...m,
      warmup,
      early,
      late,
      slope,
      grew,
      growing,
      judged: m.judged !== false && measured,
      pass:
        m.judged === false || (measured ? !(grew && growing) : m.unmeasuredWithoutMajorGc === true),
      measured,
    };
  });
}
