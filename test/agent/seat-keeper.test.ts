import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeatKeeper, SEAT_TICK_MS } from '../../src/agent/seat-keeper.js';
import type { ReleaseResult } from '../../src/agent/seat-view.js';
import { runSyncCycle, type SyncSettings } from '../../src/agent/sync-cycle.js';
import { hmacAuthenticator } from '../../src/adapters/licensespring/authenticator.js';
import { createFloatingApiClient } from '../../src/adapters/licensespring/floating-api-client.js';
import { createLicenseApiClient } from '../../src/adapters/licensespring/license-api-client.js';
import {
  SANDBOX_LICENSE_KEY,
  SANDBOX_PRODUCT_CODE,
} from '../../src/adapters/sandbox/fixture-licenses.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import {
  featureCheckKey,
  noObservations,
  type Observations,
} from '../../src/domain/observations.js';
import { MINUTE } from '../../src/domain/time.js';
import { HandTicker, ManualClock, recordingLogger, recordingMetrics } from './fakes.js';

const START = Date.parse('2026-12-04T09:00:00Z');
const HWID = 'seat-keeper-device';
const LICENSE_ID = 1_700_000_000_000_101;
const FEATURE = 'opc-ua-connector';
const SLOT = `${String(LICENSE_ID)}/${FEATURE}`;
const IDLE = 30 * MINUTE;
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const dispatcher = new Agent();
afterAll(() => dispatcher.close());

const settings: SyncSettings = {
  hardwareId: HWID,
  product: SANDBOX_PRODUCT_CODE,
  featureChecks: 'auto',
  features: [],
  concurrency: 2,
};

let sandbox: Sandbox;
let clock: ManualClock;
beforeEach(async () => {
  clock = new ManualClock(START);
  sandbox = await startSandbox({ now: () => clock.now(), privateKey });
});
afterEach(() => sandbox.close());

/** A keeper and a sync against the sandbox, on a clock and a ticker the test moves by hand. */
function agent() {
  const options = {
    baseUrl: sandbox.url,
    authenticator: hmacAuthenticator(
      sandbox.credentials.apiKey,
      sandbox.credentials.sharedKey,
      clock,
    ),
    publicKey: createPublicKey(sandbox.publicKeyPem),
    clock,
    timeoutMs: 5_000,
    dispatcher,
  };
  const api = createLicenseApiClient(options);
  const ticker = new HandTicker();
  const log = recordingLogger();
  const releases: ReleaseResult[] = [];
  const held: number[] = [];
  let refreshes = 0;
  const metrics = recordingMetrics();
  const retry = {
    clock,
    sleep: clock.sleep,
    random: () => 0.5,
    metrics,
    policy: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
  };
  const keeper = new SeatKeeper(
    {
      ...retry,
      ticker,
      log,
      seatMetrics: {
        seatsHeld: (n) => held.push(n),
        released: (r) => releases.push(r),
      },
      refresh: () => {
        refreshes++;
      },
    },
    { hardwareId: HWID, idleReleaseMs: IDLE },
    new AbortController().signal,
  );
  keeper.connect(api, createFloatingApiClient(options));
  let observations: Observations = noObservations;
  return {
    keeper,
    options,
    attempts: metrics.attempts,
    ticker,
    log,
    releases,
    held,
    refreshes: () => refreshes,
    /** One sync as the loop runs it: through the keeper's eyes, and held off resting seats. */
    sync: async () => {
      const result = await runSyncCycle(
        { ...retry, api: keeper.observing(api), seats: keeper },
        settings,
        observations,
        new AbortController().signal,
        clock.now(),
      );
      observations = result.observations;
      return result;
    },
  };
}

const checksOf = (feature: string) =>
  sandbox
    .requests()
    .filter((r) => r.path.endsWith('/check_license_feature') && r.query['feature'] === feature)
    .length;
const releasesSent = () =>
  sandbox.requests().filter((r) => r.path.endsWith('/floating/feature_release')).length;

describe('the seat keeper', () => {
  it('holds the seat a sync took, with its floating_timeout, and ticks on the monotonic ticker', async () => {
    const { keeper, ticker, sync, held } = agent();
    await sync();
    keeper.start();
    expect(ticker.live()).toEqual([SEAT_TICK_MS]);
    expect(sandbox.floatingSeats()[SLOT]).toBe(1);
    expect(keeper.seats()).toEqual([
      {
        licenseId: LICENSE_ID,
        feature: FEATURE,
        state: 'held',
        heldSince: START,
        timeoutMinutes: 120,
        lastUsedAt: START,
        nextReconfirmAt: START + 90 * MINUTE,
      },
    ]);
    expect(held.at(-1)).toBe(1);
    // What the adaptive cadence is given: the re-confirm instant of a seat in use then, on the
    // wall clock; none for a seat that goes idle first (it is given back instead).
    expect(keeper.boundaries()).toEqual([]);
    clock.at = START + 70 * MINUTE;
    keeper.use(FEATURE);
    expect(keeper.boundaries()).toEqual([{ at: START + 90 * MINUTE, kind: 'floating_timeout' }]);
  });

  it('re-confirms a seat still in use before its timeout ends, so the server keeps it', async () => {
    const { keeper, sync } = agent();
    await sync();
    for (const minutes of [20, 40, 60, 80]) {
      clock.at = START + minutes * MINUTE;
      keeper.use(FEATURE);
      await keeper.tick();
    }
    expect(checksOf(FEATURE)).toBe(1);
    clock.at = START + 90 * MINUTE;
    await keeper.tick();
    expect(checksOf(FEATURE)).toBe(2);
    expect(keeper.seats()[0]).toMatchObject({
      state: 'held',
      heldSince: START,
      nextReconfirmAt: START + 180 * MINUTE,
    });
    // Past the first timeout: without the re-confirm the server would have freed it.
    clock.at = START + 125 * MINUTE;
    expect(sandbox.floatingSeats()[SLOT]).toBe(1);
  });

  it('gives an idle seat back early, and syncs leave it alone while nobody asks', async () => {
    const { keeper, sync, releases, log } = agent();
    await sync();
    clock.at = START + IDLE - 1;
    await keeper.tick();
    expect(releasesSent()).toBe(0);
    clock.at = START + IDLE;
    await keeper.tick();
    expect(releasesSent()).toBe(1);
    expect(sandbox.floatingSeats()[SLOT]).toBe(0);
    expect(releases).toEqual(['released']);
    expect(keeper.seats()[0]).toMatchObject({ state: 'released', nextReconfirmAt: null });
    expect(log.entries.some((e) => e.message.startsWith('floating seat given back'))).toBe(true);

    // The decision stays what the last check said; the seat is not taken again by a sync.
    const { observations, report } = await sync();
    expect(checksOf(FEATURE)).toBe(1);
    expect(report.featureChecks.map((c) => c.feature)).not.toContain(FEATURE);
    expect(observations.featureChecks.get(featureCheckKey(LICENSE_ID, FEATURE))?.kind).toBe(
      'granted',
    );
    expect(sandbox.floatingSeats()[SLOT]).toBe(0);
  });

  it('takes a released seat again on the tick after a local application asks for it', async () => {
    const { keeper, sync } = agent();
    await sync();
    clock.at = START + IDLE;
    await keeper.tick();
    expect(sandbox.floatingSeats()[SLOT]).toBe(0);

    clock.at = START + 50 * MINUTE;
    keeper.use(FEATURE);
    await keeper.tick();
    expect(checksOf(FEATURE)).toBe(2);
    expect(sandbox.floatingSeats()[SLOT]).toBe(1);
    expect(keeper.seats()[0]).toMatchObject({ state: 'held', heldSince: START + 50 * MINUTE });
    // And the next sync checks it again like any held seat.
    await sync();
    expect(checksOf(FEATURE)).toBe(3);
  });

  it('a seat asked for again while the server cannot be reached is tried once a minute, not every tick', async () => {
    const { keeper, sync, attempts, options } = agent();
    await sync();
    clock.at = START + IDLE;
    await keeper.tick();
    const down = { ...options, baseUrl: 'http://127.0.0.1:1/api/v4/' };
    keeper.connect(createLicenseApiClient(down), createFloatingApiClient(down));
    const before = attempts.length;

    keeper.use(FEATURE);
    await keeper.tick();
    expect(attempts.slice(before)).toEqual(['check_license_feature connection_refused']);
    clock.at += SEAT_TICK_MS;
    await keeper.tick();
    expect(attempts.length).toBe(before + 1);
    clock.at += MINUTE;
    await keeper.tick();
    expect(attempts.length).toBe(before + 2);
    expect(keeper.seats()[0]).toMatchObject({ state: 'released' });
  });

  it('a re-confirm the server refuses forgets the seat and asks for a sync', async () => {
    const { keeper, sync, refreshes } = agent();
    await sync();
    sandbox.refuseFeature(FEATURE, 'floating_not_available');
    clock.at = START + 80 * MINUTE;
    keeper.use(FEATURE);
    clock.at = START + 90 * MINUTE;
    await keeper.tick();
    expect(keeper.seats()).toEqual([]);
    expect(refreshes()).toBe(1);
  });

  it('gives every seat held back on stop, and logs which, never the key', async () => {
    const { keeper, sync, log, releases, ticker } = agent();
    await sync();
    keeper.start();
    expect(sandbox.floatingSeats()[SLOT]).toBe(1);
    const result = await keeper.releaseAll(new AbortController().signal);
    expect(result).toEqual({ released: [{ licenseId: LICENSE_ID, feature: FEATURE }], failed: [] });
    expect(sandbox.floatingSeats()[SLOT]).toBe(0);
    expect(releases).toEqual(['released']);
    expect(ticker.live()).toEqual([]);
    const line = log.entries.find((e) => e.message === 'floating seats given back on stop');
    expect(line?.fields).toEqual({
      released: [{ licenseId: LICENSE_ID, feature: FEATURE }],
      failed: [],
    });
    expect(JSON.stringify(log.entries)).not.toContain(SANDBOX_LICENSE_KEY);
  });

  it('reports a seat it could not give back on stop as failed', async () => {
    const { keeper, sync, releases } = agent();
    await sync();
    await sandbox.close();
    const result = await keeper.releaseAll(new AbortController().signal);
    expect(result).toEqual({ released: [], failed: [{ licenseId: LICENSE_ID, feature: FEATURE }] });
    expect(releases).toEqual(['failed']);
  });
});
