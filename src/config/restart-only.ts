import type { ResolvedConfig } from './resolved-config.js';

/**
 * The keys a reload cannot apply, each with how to read it from a resolved config. The listener,
 * the state directory, the device's identity and the key answers are verified with are set up
 * once, before the agent answers; a new value takes a restart. Everything else (features, policy,
 * schedule, splay, offline grace, log level, credentials, the server's URL) a reload applies.
 */
const RESTART_ONLY: readonly (readonly [key: string, read: (c: ResolvedConfig) => unknown])[] = [
  ['http.host', (c) => c.http.host],
  ['http.port', (c) => c.http.port],
  ['http.token', (c) => c.http.token],
  ['http.socket', (c) => c.http.socket],
  ['stateDirectory', (c) => c.stateDirectory],
  ['device.hardwareId', (c) => c.hardwareIdOverride],
  ['device.machine', (c) => c.machine],
  ['log.format', (c) => c.log.format ?? 'json'],
  // The series /metrics exports are registered once; the LEM loop, its state file and its
  // sandbox are set up once beside the agent.
  ['metrics.profile', (c) => c.metrics.profile],
  ['lem', (c) => c.lem],
  ['licensespring.activate', (c) => c.activate ?? []],
  // The event streams' limits are set when the local API starts, with it.
  ['events', (c) => c.events],
  // What the answers held in memory were verified against: the saved state is verified again at
  // start, so a switch between the sandbox and a real server, or a new vendor key, must go through
  // a start too, or example licences (or answers under the old key) would outlive the switch.
  ['licensespring.baseUrl', (c) => c.upstream.kind],
  [
    'licensespring.publicKeyFile',
    (c) => (c.upstream.kind === 'sandbox' ? null : c.upstream.publicKeyPem),
  ],
];

/** The restart-only keys whose value differs between the running config and a new one. */
export function restartOnlyChanges(running: ResolvedConfig, next: ResolvedConfig): string[] {
  const changed = RESTART_ONLY.filter(([, read]) => !sameValue(read(running), read(next))).map(
    ([key]) => key,
  );
  // Between the sandbox and a server the key changes with the server: one key names the change.
  return changed.includes('licensespring.baseUrl')
    ? changed.filter((key) => key !== 'licensespring.publicKeyFile')
    : changed;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
