import type { ResolvedConfig } from '../config/resolved-config.js';

/**
 * The keys of the resolved configuration whose values differ, for the reload's log line: names
 * only, since values include secrets (`upstream.auth.sharedKey`).
 */
export function changedKeys(running: ResolvedConfig, next: ResolvedConfig): string[] {
  const before = leaves(running);
  const after = leaves(next);
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

function leaves(
  value: unknown,
  prefix = '',
  into = new Map<string, string>(),
): Map<string, string> {
  if (value instanceof Map) return into;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      leaves(inner, prefix === '' ? key : `${prefix}.${key}`, into);
    }
    return into;
  }
  into.set(prefix, value === undefined ? 'undefined' : JSON.stringify(value));
  return into;
}
