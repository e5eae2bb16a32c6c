import type { Logger } from '../agent/ports.js';
import type { ReloadMetrics } from '../adapters/metrics/reload-metrics.js';
import { errorCode } from '../adapters/error-code.js';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { restartOnlyChanges } from '../config/restart-only.js';
import { changedKeys } from './reload-changes.js';

/** How a reload ended. Only `applied` changed anything: every other outcome kept what ran. */
export type ReloadOutcome =
  | { readonly kind: 'applied'; readonly changed: readonly string[] }
  | { readonly kind: 'invalid'; readonly keys: readonly string[] }
  | { readonly kind: 'restart-required'; readonly keys: readonly string[] }
  | { readonly kind: 'not-applied'; readonly code: string };

/** The running agent, as a reload sees it. */
export interface ReloadTarget {
  running(): ResolvedConfig;
  /** Puts the new configuration in force; rejects, with nothing changed, when it cannot. */
  apply(next: ResolvedConfig): Promise<void>;
}

export interface ReloadDeps {
  readonly load: () => Promise<ResolvedConfig>;
  readonly target: ReloadTarget;
  readonly log: Logger;
  readonly metrics: ReloadMetrics;
}

/**
 * A SIGHUP: read the config again and put it in force, all of it or none of it. A new config that
 * is invalid, or that changes a key only a restart applies (the listener, the state directory, the
 * device's identity), is refused whole and the running one stays: the agent then never runs a mix
 * of two files that nobody wrote (docs/operations.md: Reloading the configuration).
 */
export async function reloadConfig(deps: ReloadDeps): Promise<ReloadOutcome> {
  const { log, metrics, target } = deps;
  let next: ResolvedConfig;
  try {
    next = await deps.load();
  } catch (error) {
    metrics.reloadFailed('invalid');
    const issues = error instanceof ConfigError ? error.issues : [];
    for (const issue of issues) {
      log.error(
        { key: issue.key, problem: issue.message, source: issue.source },
        `reload refused: ${issue.key} ${issue.message}; the running configuration stays`,
      );
    }
    if (issues.length === 0) {
      log.error(
        { err: error },
        'reload refused: the configuration could not be read; the running configuration stays',
      );
    }
    return { kind: 'invalid', keys: issues.map((i) => i.key) };
  }

  const running = target.running();
  const restartOnly = restartOnlyChanges(running, next);
  if (restartOnly.length > 0) {
    metrics.reloadFailed('restart_required');
    for (const key of restartOnly) {
      log.warn(
        { key },
        `reload refused: ${key} changed, which only a restart applies (systemctl restart edge-license-agent); nothing was reloaded and the running configuration stays`,
      );
    }
    return { kind: 'restart-required', keys: restartOnly };
  }

  const changed = changedKeys(running, next);
  try {
    await target.apply(next);
  } catch (error) {
    metrics.reloadFailed('not_applied');
    log.error(
      { err: error, changed },
      'reload not applied: the new configuration could not be put in force; the running configuration stays',
    );
    return { kind: 'not-applied', code: errorCode(error) ?? 'unknown' };
  }
  log.info({ changed }, 'configuration reloaded');
  return { kind: 'applied', changed };
}
