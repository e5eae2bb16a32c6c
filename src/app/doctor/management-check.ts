import { EnvHttpProxyAgent } from 'undici';
import type { Clock, Random, Sleep } from '../../agent/ports.js';
import { createManagementClient } from '../../adapters/management/management-client.js';
import { readManagementApiKey } from '../../config/resolve-management.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { fail, pass, skip, warn, type CheckResult } from './doctor-check.js';

/**
 * The server's view of this device, when a Management API key is configured: the licences the
 * Management API binds to this hardware ID beside the ones `device_licenses` just listed. A
 * difference is what a technician otherwise finds only by comparing two screens.
 */
export async function managementCheck(
  config: ResolvedConfig,
  hardwareId: string | null,
  deviceLicenseIds: readonly number[] | null,
  deps: {
    readonly clock: Clock;
    readonly sleep: Sleep;
    readonly random: Random;
    readonly env: NodeJS.ProcessEnv;
  },
): Promise<CheckResult> {
  const id = 'management';
  const upstream = config.management.upstream;
  if (upstream.kind === 'sandbox') return skip(id, 'the Management API is the sandbox');
  if (hardwareId === null) return skip(id, 'no hardware ID to ask about');
  const key = await readManagementApiKey(upstream, deps.env, config.sources);
  if (key.kind === 'unreadable') {
    return skip(id, 'no Management API key configured (licensespring.management.apiKey)');
  }
  const dispatcher = new EnvHttpProxyAgent({ connect: { timeout: 10_000 } });
  const client = createManagementClient({
    baseUrl: upstream.baseUrl,
    apiKey: key.apiKey,
    dispatcher,
    timeoutMs: config.management.timeoutMs,
    // One question, not a listing: two tries, and no long waits for a 429.
    policy: { attempts: 2, baseDelayMs: 1_000, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 },
    clock: deps.clock,
    sleep: deps.sleep,
    random: deps.random,
  });
  const server: number[] = [];
  try {
    const query = { filters: [['devices__hardware_id', hardwareId] as const], orderBy: 'id' };
    for await (const event of client.list(query, null, AbortSignal.timeout(60_000))) {
      if (event.kind === 'failed') {
        const fix =
          event.failure.code === 'management_credentials'
            ? 'check licensespring.management.apiKey'
            : 'check licensespring.management.baseUrl and the network path';
        return fail(id, event.failure.message, fix);
      }
      server.push(...event.licenses.map((l) => l.id));
    }
  } finally {
    await dispatcher.close();
  }
  const listed = `the Management API binds ${String(server.length)} licence(s) to ${hardwareId}`;
  if (deviceLicenseIds === null) return pass(id, listed);
  const onlyServer = server.filter((l) => !deviceLicenseIds.includes(l));
  const onlyDevice = deviceLicenseIds.filter((l) => !server.includes(l));
  if (onlyServer.length === 0 && onlyDevice.length === 0) {
    return pass(id, `${listed}, the same as device_licenses`);
  }
  return warn(
    id,
    `${listed}; only there: ${onlyServer.join(', ') || 'none'}; only in device_licenses: ${onlyDevice.join(', ') || 'none'}`,
    '`edge-license-agent fleet compare` shows each licence; a licence the device does not see may be of another product, or not yet activated for this hardware ID',
  );
}
