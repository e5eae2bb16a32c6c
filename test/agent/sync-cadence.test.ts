import { describe, expect, it } from 'vitest';
import type { SyncLoopSettings } from '../../src/agent/sync-loop.js';
import { DEFAULT_CADENCE, slotAtOrAfter } from '../../src/domain/cadence.js';
import { splayOffsetMs } from '../../src/domain/splay.js';
import { HOUR, MINUTE } from '../../src/domain/time.js';
import { feature, license, T0 } from '../domain/license-builders.js';
import { loopWith } from './loop-harness.js';
import type { HandTicker } from './fakes.js';
import { genuine, ScriptedApi, settle, unreachable } from './fakes.js';

/** The adaptive cadence: no cron schedule, the loop plans each sync from what it knows. */
const settings: SyncLoopSettings = {
  hardwareId: '3f2a-9c1b-04d7-e6a0-5b19-c2d8-7e4f-a013',
  product: 'edge-suite',
  featureChecks: 'all',
  features: [],
  concurrency: 1,
  schedule: null,
  splayMs: 0,
  scheduleLongestGapMs: Infinity,
  cadence: DEFAULT_CADENCE,
  offlineGraceMs: 72 * HOUR,
};
const CLOCK_WATCH_MS = 60_000;
const checked = { licenseId: 1, code: 'analytics', expiresAt: null, floatingInUse: null };

function setup(api: ScriptedApi) {
  return loopWith(api, settings);
}

/** The planned sync's timer: every ticker task but the minute's clock watch. */
function plannedDelays(ticker: HandTicker): number[] {
  return ticker.live().filter((ms) => ms !== CLOCK_WATCH_MS);
}

describe('the adaptive cadence in the sync loop', () => {
  it('syncs at once on a first start, then an hour later when nothing is near', async () => {
    const api = new ScriptedApi([genuine([license({ features: [] })])]);
    const { loop, ticker } = setup(api);
    loop.start();
    await settle();
    expect(api.calls).toHaveLength(1);
    expect(loop.nextSync()).toEqual({ at: T0 + HOUR, reason: 'steady', boundary: null });
    expect(plannedDelays(ticker)).toEqual([HOUR]);
  });

  it('starts the planned sync when its timer fires', async () => {
    const api = new ScriptedApi([genuine([license({ features: [] })])]);
    const { loop, ticker, time } = setup(api);
    loop.start();
    await settle();
    time.advance(HOUR);
    ticker.fire();
    await settle();
    expect(api.calls).toHaveLength(2);
    expect(loop.nextSync()?.at).toBe(T0 + 2 * HOUR);
  });

  it('with saved answers, waits for its own slot in the hour instead of syncing at start', async () => {
    const api = new ScriptedApi([genuine([license({ features: [] })])]);
    const { loop, board, time } = setup(api);
    board.apply({
      kind: 'genuine-answer',
      observations: {
        licenses: {
          kind: 'licenses',
          licenses: [license({ features: [] })],
          verifiedAt: T0,
          evidence: { body: '[]', signature: null },
          serverDate: null,
        },
        featureChecks: new Map(),
      },
      serverDate: null,
    });
    loop.start();
    await settle();
    expect(api.calls).toEqual([]);
    const phase = splayOffsetMs(settings.hardwareId, HOUR);
    expect(loop.nextSync()).toEqual({
      at: slotAtOrAfter(time.now(), phase, HOUR),
      reason: 'slot',
      boundary: null,
    });
  });

  it('syncs every 45 minutes when a licence expires in three hours', async () => {
    const expiring = license({ features: [], validUntil: T0 + 3 * HOUR });
    const api = new ScriptedApi([genuine([expiring])]);
    const { loop } = setup(api);
    loop.start();
    await settle();
    expect(loop.nextSync()).toEqual({
      at: T0 + 45 * MINUTE,
      reason: 'approaching',
      boundary: { at: T0 + 3 * HOUR, kind: 'license_expiry' },
    });
  });

  it('holds the whole device after a 429: the feature checks not yet asked are not asked', async () => {
    const features = [feature({ code: 'analytics' }), feature({ code: 'export' })];
    const api = new ScriptedApi(
      [genuine([license({ features })])],
      new Map([
        ['analytics', [unreachable('rate_limited', 600_000)]],
        ['export', [genuine({ ...checked, code: 'export' })]],
      ]),
    );
    const { loop } = setup(api);
    loop.start();
    await settle();
    expect(api.calls).toEqual([
      `device_licenses ${settings.hardwareId}`,
      'check_license_feature 1 analytics',
    ]);
    expect(loop.lastReport()?.rateLimited).toEqual({ retryAfterMs: 600_000 });
    expect(loop.nextSync()).toEqual({ at: T0 + HOUR, reason: 'steady', boundary: null });
  });

  it('waits out a Retry-After longer than the gap it would have chosen', async () => {
    const api = new ScriptedApi([unreachable('rate_limited', 2 * HOUR)]);
    const { loop } = setup(api);
    loop.start();
    await settle();
    // Each device adds its own offset within the shortest gap, so a fleet does not return at once.
    const spread = splayOffsetMs(settings.hardwareId, HOUR) % (5 * MINUTE);
    expect(loop.nextSync()).toEqual({
      at: T0 + 2 * HOUR + spread,
      reason: 'rate_limited',
      boundary: null,
    });
  });

  it('counts every call a sync made, for the daily budget', async () => {
    const features = [feature({ code: 'analytics' }), feature({ code: 'export' })];
    const api = new ScriptedApi(
      [genuine([license({ features })])],
      new Map([
        ['analytics', [genuine(checked)]],
        ['export', [genuine({ ...checked, code: 'export' })]],
      ]),
    );
    const { loop } = setup(api);
    loop.start();
    await settle();
    expect(loop.lastReport()?.calls).toBe(3);
  });

  it("a refresh takes the planned sync's place, and the next is planned from it", async () => {
    const api = new ScriptedApi([genuine([license({ features: [] })])]);
    const { loop, ticker, time } = setup(api);
    loop.start();
    await settle();
    time.advance(20 * MINUTE);
    await loop.refresh();
    expect(api.calls).toHaveLength(2);
    expect(loop.nextSync()?.at).toBe(T0 + 20 * MINUTE + HOUR);
    expect(plannedDelays(ticker)).toEqual([HOUR]);
  });
});

describe('a device with no answer to stand on', () => {
  it('tries again every shortest gap, at its own offset, instead of an hour later', async () => {
    const api = new ScriptedApi([unreachable('server_error')]);
    const { loop } = setup(api);
    loop.start();
    await settle();
    const offset = splayOffsetMs(settings.hardwareId, HOUR) % (5 * MINUTE);
    expect(loop.nextSync()).toEqual({
      at: T0 + 5 * MINUTE + offset,
      reason: 'boot',
      boundary: null,
    });
  });

  it('goes back to the hour once an answer came', async () => {
    const api = new ScriptedApi([
      unreachable('server_error'),
      genuine([license({ features: [] })]),
    ]);
    const { loop, ticker, time } = setup(api);
    loop.start();
    await settle();
    time.advance(10 * MINUTE);
    ticker.fire();
    await settle();
    expect(api.calls).toHaveLength(2);
    expect(loop.nextSync()).toMatchObject({ at: T0 + 10 * MINUTE + HOUR, reason: 'steady' });
  });
});
