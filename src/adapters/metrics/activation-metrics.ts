import { Counter, type Registry } from 'prom-client';
import type { ActivationResult } from '../../agent/activator.js';

const RESULTS: readonly ActivationResult[] = ['activated', 'refused', 'failed'];

/**
 * `license_agent_activation_attempts_total{result}`: each `activate_license` call the agent made
 * for a key `licensespring.activate` names. Registered only when the config names keys.
 */
export function createActivationMetrics(registry: Registry): (result: ActivationResult) => void {
  const attempts = new Counter({
    name: 'license_agent_activation_attempts_total',
    help: 'activate_license calls for the configured keys, by result: activated, refused (the server said no), failed (no answer).',
    labelNames: ['result'],
    registers: [registry],
  });
  for (const result of RESULTS) attempts.inc({ result }, 0);
  return (result) => {
    attempts.inc({ result });
  };
}
