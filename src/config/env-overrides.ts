import { parse as parseYaml } from 'yaml';
import type { ConfigIssue } from './config-error.js';

/** Environment variables that name the agent's config and are not overrides of keys in it. */
const RESERVED = new Set(['ELA_CONFIG']);
export const ENV_PREFIX = 'ELA_';

export interface EnvOverride {
  readonly path: readonly string[];
  readonly value: unknown;
  /** The variable's text, for keys whose schema wants a string. */
  readonly raw: string;
  readonly variable: string;
}

/**
 * `ELA_SYNC__SPLAY_SECONDS=60` overrides `sync.splaySeconds`: `__` separates levels, and each level
 * is the key in SCREAMING_SNAKE_CASE. Values are read as YAML scalars, so `60` is a number and
 * `true` a boolean; the schema then rejects a wrong type instead of coercing it.
 */
export function envOverrides(env: NodeJS.ProcessEnv): {
  overrides: EnvOverride[];
  issues: ConfigIssue[];
} {
  const overrides: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || RESERVED.has(variable) || raw === undefined) continue;
    const path = variable.slice(ENV_PREFIX.length).split('__').map(camelCase);
    if (path.some((segment) => segment === '')) {
      issues.push({ key: variable, message: 'is not a valid override name', source: null });
      continue;
    }
    try {
      overrides.push({ path, value: parseYaml(raw) as unknown, raw, variable });
    } catch {
      overrides.push({ path, value: raw, raw, variable });
    }
  }
  return { overrides, issues };
}

function camelCase(screaming: string): string {
  return screaming
    .toLowerCase()
    .split('_')
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}
