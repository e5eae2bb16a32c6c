import { collectDefaultMetrics, Counter, Gauge, type Registry } from 'prom-client';

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

/** How often the event loop's delay is sampled for `nodejs_eventloop_lag_*`. */
export const EVENT_LOOP_SAMPLE_MS = 100;

/** Node and process metrics on the given registry, minus the gauges promtool rejects. */
export function registerDefaultMetrics(registry: Registry): void {
  // prom-client samples event-loop delay every 10 ms by default: a timer that wakes an idle agent
  // 100 times a second, about 29 s of CPU an hour measured here. Every 100 ms still measures each
  // delay exactly, from ten samples a second instead of a hundred.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  for (const name of MISNAMED_DEFAULT_GAUGES) {
    // Absent on runtimes without the underlying process API; removing is then a no-op anyway.
    registry.removeSingleMetric(name);
  }
}

/**
 * The lean profile's process metrics: enough to see a restart, a leak or a busy process, under
 * prom-client's names and meanings so that one dashboard reads both profiles. Registered here
 * rather than picked out of prom-client's set, whose gauges fill each other in when scraped
 * (the heap-total gauge sets heap-used), so that a subset would read zeros.
 */
export function registerLeanProcessMetrics(registry: Registry): void {
  const registers = [registry];
  // The instant the process began, which Node records itself: no clock is read for it.
  const startedAt = Math.round(performance.timeOrigin / 1000);
  let cpuCounted = 0;
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    registers,
    collect() {
      const usage = process.cpuUsage();
      const seconds = (usage.user + usage.system) / 1e6;
      this.inc(seconds - cpuCounted);
      cpuCounted = seconds;
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'process_start_time_seconds',
    help: 'Start time of the process since unix epoch in seconds.',
    registers,
    collect() {
      this.set(startedAt);
    },
  });
  new Gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'Process heap size used from Node.js in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
}
