import type { Gauge } from 'prom-client';

/**
 * prom-client shows a gauge without labels as 0 from its creation and after `reset()`: a
 * timestamp of 1970 or "no grace left" where the truth is "not known yet". `remove()` with no
 * labels is what leaves it absent, so that an alert or `absent()` reads it right.
 */
export function clear(gauge: Gauge): void {
  gauge.remove();
}

/** The gauge, absent until first set. */
export function absentUntilSet<G extends Gauge>(gauge: G): G {
  clear(gauge);
  return gauge;
}
