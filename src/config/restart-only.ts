import type { ResolvedConfig } from './resolved-config.js';

/**
 * The keys a reload cannot apply, each with how to read it from a resolved config. The listener,
 * the state directory and the device's identity are set up once, before the agent answers; a new
 * value takes a restart. Everything else (features, policy, schedule, splay, offline grace, log
 * level, credentials, upstream) a reload applies.
 */
const RESTART_ONLY: readonly (readonly [key: string, read: (c: ResolvedConfig) => unknown])[] = [
  ['http.host', (c) => c.http.host],
  ['http.port', (c) => c.http.port],
  ['http.token', (c) => c.http.token],
  ['http.socket', (c) => c.http.socket],
  ['stateDirectory', (c) => c.stateDirectory],
  ['device.hardwareId', (c) => c.hardwareIdOverride],
  ['log.format', (c) => c.log.format ?? 'json'],
];

/** The restart-only keys whose value differs between the running config and a new one. */
export function restartOnlyChanges(running: ResolvedConfig, next: ResolvedConfig): string[] {
  return RESTART_ONLY.filter(([, read]) => !sameValue(read(running), read(next))).map(
    ([key]) => key,
  );
}

export const RESTART_ONLY_KEYS: readonly string[] = RESTART_ONLY.map(([key]) => key);

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
