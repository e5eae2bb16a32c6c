import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReleaseResult, SeatMetrics } from '../../agent/seat-view.js';

const RESULTS: readonly ReleaseResult[] = ['released', 'failed'];

/**
 * `license_agent_floating_seats_held` and `license_agent_floating_releases_total{result}`, on the
 * agent's own registry. Both label sets are fixed, so both belong to the lean profile too.
 */
export function createFloatingMetrics(registry: Registry): SeatMetrics {
  const held = new Gauge({
    name: 'license_agent_floating_seats_held',
    help: 'Floating seats (of floating features and licences) this device holds at the licence server.',
    registers: [registry],
  });
  const releases = new Counter({
    name: 'license_agent_floating_releases_total',
    help: 'Floating seats given back to the licence server (idle, or on stop), by result: released, failed.',
    labelNames: ['result'],
    registers: [registry],
  });
  for (const result of RESULTS) releases.inc({ result }, 0);
  return {
    seatsHeld: (count) => {
      held.set(count);
    },
    released: (result) => {
      releases.inc({ result });
    },
  };
}
