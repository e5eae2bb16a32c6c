// The agent in the bench's own process (the built app), syncing only when the bench calls
// refresh(): for measures that need the agent's own heap or CPU time without a process boundary.
import { fileURLToPath } from 'node:url';
import { startAgent } from '../dist/src/app/start-agent.js';
import { loadConfig } from '../dist/src/config/load-config.js';

const EXAMPLE = fileURLToPath(new URL('../config/agent.example.yaml', import.meta.url));

/** Syncs happen only when the bench asks; the machine is not read (the hardware ID is set). */
const neverTicks = { every: () => ({ stop: () => undefined }) };
const noMachine = {
  read: () =>
    Promise.resolve({
      components: { mac: null, machineId: null, dmiUuid: null },
      sources: { mac: [], machineId: [], dmiUuid: [] },
      interfaces: [],
    }),
};

/**
 * The example config pointed at a licence server (`baseUrl`, HMAC keys, its signing key), the local
 * API on a free loopback port, logs at warn to `logDestination`. `lem: false` leaves LEM out (the
 * example config asks for its sandbox).
 */
export async function startBenchAgent({
  hardwareId,
  stateDirectory,
  baseUrl,
  apiKey,
  sharedKey,
  publicKeyPem,
  logDestination,
  lem = true,
}) {
  const base = await loadConfig({ path: EXAMPLE, env: {} });
  return startAgent(
    {
      ...base,
      ...(lem ? {} : { lem: null }),
      hardwareIdOverride: hardwareId,
      stateDirectory,
      upstream: {
        kind: 'licensespring',
        baseUrl,
        auth: { method: 'hmac', apiKey, sharedKey },
        publicKeyPem,
      },
      http: { ...base.http, host: '127.0.0.1', port: 0 },
      log: { level: 'warn' },
    },
    { scheduler: neverTicks, systemFacts: noMachine, random: () => 0, logDestination },
  );
}
