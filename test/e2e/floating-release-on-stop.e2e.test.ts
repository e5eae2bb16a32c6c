import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_LICENSE_KEY,
  sandboxLicenses,
} from '../../src/adapters/sandbox/fixture-licenses.js';
import { startSandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import type { JsonValue } from '../../src/adapters/sandbox/vendor-types.js';
import { writeSeparateServerConfig } from './cli-agent-config.js';
import { getJson, startCli, waitReady } from './cli-process.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const HWID = 'e2e-floating-device';

interface Seat {
  readonly feature: string;
  readonly licenseId: number;
  readonly state: string;
  readonly lastUsedAt: string;
}
const LICENSE_ID = 1_700_000_000_000_101;

/** The sandbox's licences, with a second floating feature on the key-based one. */
function twoFloatingFeatures(now: number): JsonValue[] {
  return sandboxLicenses(now).map((license) =>
    license.id !== LICENSE_ID
      ? license
      : {
          ...license,
          product_features: [
            ...license.product_features,
            {
              id: 1_700_000_000_001_004,
              code: 'modbus-gateway',
              name: 'Modbus gateway',
              feature_type: 'activation',
              expiry_date: null,
              metadata: {},
              is_floating: true,
              is_floating_cloud: false,
              floating_users: 5,
              floating_timeout: 30,
            },
          ],
        },
  );
}

describe('SIGTERM with floating seats held', () => {
  it('gives every seat back to the licence server before the process exits, and says which', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ela-floating-stop-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sandbox = await startSandbox({ devices: { [HWID]: twoFloatingFeatures(Date.now()) } });
    cleanups.push(() => sandbox.close());
    const config = await writeSeparateServerConfig(dir, sandbox, {
      stateDirectory: join(dir, 'state'),
      device: { hardwareId: HWID },
    });

    const agent = startCli(['run', '--config', config]);
    cleanups.push(() => agent.stop('SIGKILL'));
    const url = await agent.url();
    await waitReady(url);
    expect(sandbox.floatingSeats()).toEqual({
      [`${String(LICENSE_ID)}/opc-ua-connector`]: 1,
      [`${String(LICENSE_ID)}/modbus-gateway`]: 1,
    });
    const seatsNow = async () =>
      (
        (await getJson(`${url}/v1/status`)).body as {
          floating: { seats: Seat[] };
        }
      ).floating.seats.sort((a, b) => a.feature.localeCompare(b.feature));
    const taken = await seatsNow();
    expect(taken.map((s) => [s.feature, s.licenseId, s.state])).toEqual([
      ['modbus-gateway', LICENSE_ID, 'held'],
      ['opc-ua-connector', LICENSE_ID, 'held'],
    ]);

    // A question keeps its feature's seat in use; an OFREP bulk evaluation, every one.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await getJson(`${url}/v1/features/opc-ua-connector`)).status).toBe(200);
    const asked = await seatsNow();
    expect(asked[1]!.lastUsedAt > taken[1]!.lastUsedAt).toBe(true);
    expect(asked[0]!.lastUsedAt).toBe(taken[0]!.lastUsedAt);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const bulk = await request(`${url}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ context: {} }),
    });
    expect(bulk.statusCode).toBe(200);
    await bulk.body.dump();
    const bulkAsked = await seatsNow();
    expect(bulkAsked[0]!.lastUsedAt > asked[0]!.lastUsedAt).toBe(true);
    expect(bulkAsked[1]!.lastUsedAt > asked[1]!.lastUsedAt).toBe(true);
    const metrics = (await getJson(`${url}/metrics`)).text;
    expect(metrics).toMatch(/^license_agent_floating_seats_held 2$/m);

    expect(await agent.stop('SIGTERM')).toBe(0);
    // The sandbox runs in this process: what it counts now is what it served before the exit.
    expect(sandbox.floatingSeats()).toEqual({
      [`${String(LICENSE_ID)}/opc-ua-connector`]: 0,
      [`${String(LICENSE_ID)}/modbus-gateway`]: 0,
    });
    const releases = sandbox.requests().filter((r) => r.path.endsWith('/floating/feature_release'));
    expect(releases.map((r) => [r.method, r.status])).toEqual([
      ['POST', 200],
      ['POST', 200],
    ]);
    const said = agent
      .output()
      .split('\n')
      .find((line) => line.includes('floating seats given back on stop'));
    expect(JSON.parse(said ?? '{}')).toMatchObject({
      released: expect.arrayContaining([
        { licenseId: LICENSE_ID, feature: 'opc-ua-connector' },
        { licenseId: LICENSE_ID, feature: 'modbus-gateway' },
      ]) as unknown,
      failed: [],
    });
    expect(agent.output()).not.toContain(SANDBOX_LICENSE_KEY);
    expect(agent.output().indexOf('floating seats given back on stop')).toBeLessThan(
      agent.output().indexOf('"agent stopped"'),
    );
  });
});
