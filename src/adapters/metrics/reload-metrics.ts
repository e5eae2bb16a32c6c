import { Counter, type Registry } from 'prom-client';

/** Why a SIGHUP left the configuration as it was. */
export type ReloadFailure = 'invalid' | 'restart_required' | 'not_applied';
const REASONS: readonly ReloadFailure[] = ['invalid', 'restart_required', 'not_applied'];

export interface ReloadMetrics {
  reloadFailed(reason: ReloadFailure): void;
}

/**
 * `license_agent_config_reload_failures_total`, every reason at 0 from the start, so that an
 * alert on `increase(...)` sees the first failed reload.
 */
export function createReloadMetrics(registry: Registry): ReloadMetrics {
  const failures = new Counter({
    name: 'license_agent_config_reload_failures_total',
    help: 'Reloads (SIGHUP) that left the running configuration unchanged, by reason: invalid, restart_required, not_applied.',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const reason of REASONS) failures.inc({ reason }, 0);
  return {
    reloadFailed: (reason) => {
      failures.inc({ reason });
    },
  };
}
