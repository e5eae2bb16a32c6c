import type { Registry } from 'prom-client';
import type { ActivationApi } from '../agent/activation-ports.js';
import { Activator } from '../agent/activator.js';
import type { Clock, Logger } from '../agent/ports.js';
import { maskLicenseKey } from '../adapters/logging/mask-license-key.js';
import { createActivationMetrics } from '../adapters/metrics/activation-metrics.js';
import type { ResolvedConfig } from '../config/resolved-config.js';

/**
 * The activator for the keys `licensespring.activate` names, or null when it names none. Its API
 * is the current upstream's: a reload that reconnects hands it the new one.
 */
export function createActivation(
  config: ResolvedConfig,
  deps: {
    readonly registry: Registry;
    readonly clock: Clock;
    readonly log: Logger;
    readonly hardwareId: string;
    readonly refresh: () => void;
  },
): { readonly activator: Activator; connect(api: ActivationApi): void } | null {
  const keys = config.activate ?? [];
  if (keys.length === 0) return null;
  let current: ActivationApi | null = null;
  const api: ActivationApi = {
    activate: (req, signal) => upstream().activate(req, signal),
    deactivate: (req, signal) => upstream().deactivate(req, signal),
  };
  function upstream(): ActivationApi {
    if (current === null) throw new Error('activation used before the upstream connected');
    return current;
  }
  const activator = new Activator(
    {
      api,
      clock: deps.clock,
      log: deps.log,
      hint: maskLicenseKey,
      counted: createActivationMetrics(deps.registry),
      refresh: deps.refresh,
    },
    keys,
    deps.hardwareId,
  );
  return {
    activator,
    connect: (next) => {
      current = next;
    },
  };
}
