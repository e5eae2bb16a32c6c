import { collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * prom-client registers these as gauges, and `promtool check metrics` rejects them: "non-counter
 * metrics should not have _total suffix". Each is the sum of a per-type gauge prom-client also
 * registers under the name without the suffix (`nodejs_active_handles{type}` and so on), so the
 * total stays one `sum()` away and nothing is re-registered in their place.
 */
export const MISNAMED_DEFAULT_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

/** Node and process metrics on the given registry, minus the gauges promtool rejects. */
export function registerDefaultMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULT_GAUGES) {
    // Absent on runtimes without the underlying process API; removing is then a no-op anyway.
    registry.removeSingleMetric(name);
  }
}
