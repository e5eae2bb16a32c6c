import { DEFAULT_CADENCE } from '../../src/domain/cadence.js';
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../src/agent/sync-cycle.js';
import type { SyncLoopSettings } from '../../src/agent/sync-loop.js';
import { splayOffsetMs } from '../../src/domain/splay.js';
import { HOUR } from '../../src/domain/time.js';
import type { UpstreamOutcome } from '../../src/domain/upstream-outcome.js';
import { license, T0 } from '../domain/license-builders.js';
import { loopWith } from './loop-harness.js';
import { genuine, HeldApi, settle, unreachable } from './fakes.js';

const SCHEDULE = '0 */6 * * *';
const MINUTE = 60_000;
const settings: SyncLoopSettings = {
  hardwareId: '3f2a-9c1b-04d7-e6a0-5b19-c2d8-7e4f-a013',
  product: 'edge-suite',
  featureChecks: 'none',
  features: [],
  concurrency: 1,
  schedule: SCHEDULE,
  splayMs: 15 * 60 * 1000,
  scheduleLongestGapMs: 6 * HOUR,
  cadence: DEFAULT_CADENCE,
  offlineGraceMs: 72 * HOUR,
};
const SPLAY = splayOffsetMs(settings.hardwareId, settings.splayMs);
/** One attempt per call: these tests are about the loop, not the retries within a sync. */
const refusal: UpstreamOutcome<never> = {
  kind: 'refused',
  code: 'device_blacklisted',
  upstreamCode: 'blacklisted',
  status: 400,
};

function setup() {
  return loopWith(new HeldApi(), settings);
}

/** Starts the loop and lets its boot sync finish with a genuine answer. */
async function booted() {
  const parts = setup();
  parts.loop.start();
  parts.api.answer(genuine([license()]));
  await settle();
  return parts;
}

/** Tracks whether a promise has settled, without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describe('the sync loop', () => {
  it('syncs once at start, without waiting for a tick or the splay', async () => {
    const { loop, api, time, saves } = setup();
    expect(api.calls).toEqual([]);
    loop.start();
    expect(api.calls).toEqual([`device_licenses ${settings.hardwareId}`]);
    expect(time.requested).toEqual([]);
    api.answer(genuine([license()]));
    await settle();
    expect(loop.lastReport()?.result).toBe('ok');
    expect(saves.saved).toHaveLength(1);
    expect(api.calls).toHaveLength(1);
  });

  it("waits exactly the device's splay after a scheduled tick before calling the server", async () => {
    const { loop, api, time, scheduler } = await booted();
    expect(SPLAY).toBeGreaterThan(0);
    expect(loop.splayMs()).toBe(SPLAY);

    scheduler.fire(SCHEDULE);
    await settle();
    expect(time.requested).toEqual([SPLAY]);
    expect(api.calls).toHaveLength(1);

    time.advance(SPLAY - 1);
    await settle();
    expect(api.calls).toHaveLength(1);

    time.advance(1);
    await settle();
    expect(api.calls).toHaveLength(2);
  });

  it('a tick that finds a sync running joins it instead of calling the server again', async () => {
    const { loop, api, time, scheduler, saves } = setup();
    loop.start();
    scheduler.fire(SCHEDULE);
    time.advance(SPLAY);
    await settle();
    expect(api.calls).toHaveLength(1);

    api.answer(genuine([license()]));
    await settle();
    expect(api.calls).toHaveLength(1);
    expect(saves.saved).toHaveLength(1);
    expect(loop.running()).toBe(false);

    // Once idle, the same tick does start a sync of its own.
    scheduler.fire(SCHEDULE);
    time.advance(SPLAY);
    await settle();
    expect(api.calls).toHaveLength(2);
  });

  it('a refresh asked for while a sync runs waits for it, then shares one more sync with every refresh asked meanwhile', async () => {
    const { loop, api } = setup();
    loop.start();
    const first = loop.refresh();
    const second = loop.refresh();
    const firstDone = watch(first);
    expect(api.calls).toHaveLength(1);

    api.answer(genuine([license()]));
    await settle();
    expect(loop.lastReport()?.deviceLicenses.kind).toBe('genuine');
    expect(firstDone.settled).toBe(false);
    expect(api.calls).toHaveLength(2);

    api.answer(refusal);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a.deviceLicenses.kind).toBe('refused');
    await settle();
    expect(api.calls).toHaveLength(2);
  });

  it('a refresh asked for during a later sync waits for a sync of its own, not the one shared before', async () => {
    const { loop, api, scheduler, time } = setup();
    loop.start();
    const earlier = loop.refresh();
    api.answer(genuine([license()]));
    await settle();
    api.answer(genuine([license()]));
    const shared = await earlier;

    scheduler.fire(SCHEDULE);
    time.advance(SPLAY);
    await settle();
    expect(api.calls).toHaveLength(3);
    const later = loop.refresh();
    const laterDone = watch(later);
    api.answer(unreachable());
    await settle();
    expect(laterDone.settled).toBe(false);
    expect(api.calls).toHaveLength(4);

    api.answer(refusal);
    const own = await later;
    expect(own).not.toBe(shared);
    expect(own.deviceLicenses.kind).toBe('refused');
  });

  it('a refresh while idle starts a sync at once, and a tick meanwhile joins it', async () => {
    const { loop, api, scheduler, time } = await booted();
    const refreshed = loop.refresh();
    expect(api.calls).toHaveLength(2);
    scheduler.fire(SCHEDULE);
    time.advance(SPLAY);
    await settle();
    expect(api.calls).toHaveLength(2);
    api.answer(refusal);
    expect((await refreshed).deviceLicenses.kind).toBe('refused');
    await settle();
    expect(api.calls).toHaveLength(2);
  });

  it('a refresh queued behind a sync that crashed still gets a sync of its own', async () => {
    const { loop, api, log } = setup();
    loop.start();
    const refreshed = loop.refresh();
    api.crash(new Error('adapter bug'));
    await settle();
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'sync crashed' }),
    );
    expect(api.calls).toHaveLength(2);
    api.answer(genuine([license()]));
    expect((await refreshed).result).toBe('ok');
  });

  it('says a sync is running only while one is in flight, its save included', async () => {
    const { loop, api, saves } = setup();
    expect(loop.running()).toBe(false);
    saves.hold = true;
    loop.start();
    expect(loop.running()).toBe(true);

    api.answer(genuine([license()]));
    await settle();
    expect(saves.held()).toBe(1);
    expect(loop.running()).toBe(true);

    saves.release();
    await settle();
    expect(loop.running()).toBe(false);
  });

  it('reports the last sync that finished, not the one in flight', async () => {
    const { loop, api, scheduler, time } = setup();
    loop.start();
    expect(loop.lastReport()).toBeNull();
    api.answer(genuine([license()]));
    await settle();
    const boot = loop.lastReport();
    expect(boot).toMatchObject({ result: 'ok', finishedAt: T0 });

    scheduler.fire(SCHEDULE);
    time.advance(SPLAY);
    await settle();
    expect(loop.running()).toBe(true);
    expect(loop.lastReport()).toBe(boot);

    api.answer(unreachable('server_error'));
    await settle();
    expect(loop.lastReport()).toMatchObject({
      result: 'failed',
      finishedAt: T0 + SPLAY,
      deviceLicenses: { kind: 'unreachable', cause: 'server_error' },
    });
  });

  it('saves the state each sync led to, as the decision board holds it', async () => {
    const { loop, api, scheduler, time, saves, board } = await booted();
    expect(saves.saved).toHaveLength(1);
    expect(saves.saved[0]).toBe(board.state());
    expect(saves.saved[0]?.observations.licenses).toMatchObject({
      kind: 'licenses',
      licenses: [license()],
      verifiedAt: T0,
    });

    scheduler.fire(SCHEDULE);
    time.advance(SPLAY);
    await settle();
    api.answer(refusal);
    await settle();
    expect(saves.saved).toHaveLength(2);
    expect(saves.saved[1]).toBe(board.state());
    expect(saves.saved[1]?.observations.licenses).toEqual({
      kind: 'refused',
      code: 'device_blacklisted',
      verifiedAt: T0 + SPLAY,
    });
    expect(loop.running()).toBe(false);
  });

  it('a failed save is logged and the loop goes on: the sync still answers, and the next one saves again', async () => {
    const { loop, api, saves, log, scheduler, time } = setup();
    saves.failWith = new Error('disk full');
    loop.start();
    const refreshed = loop.refresh();
    api.answer(genuine([license()]));
    await settle();
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'could not save the state' }),
    );
    expect(log.entries.map((e) => e.message)).not.toContain('sync crashed');
    expect(loop.lastReport()?.result).toBe('ok');
    expect(loop.running()).toBe(true);
    api.answer(genuine([license()]));
    const report: SyncReport = await refreshed;
    expect(report.result).toBe('ok');
    expect(saves.saved).toEqual([]);

    saves.failWith = null;
    scheduler.fire(SCHEDULE);
    time.advance(SPLAY);
    await settle();
    api.answer(genuine([license()]));
    await settle();
    expect(saves.saved).toHaveLength(1);
    expect(loop.running()).toBe(false);
  });

  it('stop() waits for the sync in flight, its save included', async () => {
    const { loop, api, saves } = setup();
    saves.hold = true;
    loop.start();
    const stopped = watch(loop.stop());
    await settle();
    expect(stopped.settled).toBe(false);

    api.answer(genuine([license()]));
    await settle();
    expect(stopped.settled).toBe(false);

    saves.release();
    await settle();
    expect(stopped.settled).toBe(true);
    expect(saves.saved).toHaveLength(1);
  });

  it('stop() waits only for the sync in flight: a refresh queued behind it is refused', async () => {
    const { loop, api } = setup();
    loop.start();
    const refreshed = loop.refresh();
    const stopping = loop.stop();
    api.answer(genuine([license()]));
    await stopping;
    await expect(refreshed).rejects.toMatchObject({ code: 'agent_stopping' });
    expect(api.calls).toHaveLength(1);
  });

  it('once stopped, the schedule is cancelled, a late tick starts nothing and a refresh is refused', async () => {
    const { loop, api, scheduler, ticker, time } = await booted();
    expect(scheduler.live()).toEqual([SCHEDULE]);
    expect(ticker.live()).toEqual([MINUTE]);
    await loop.stop();
    expect(scheduler.live()).toEqual([]);
    expect(ticker.live()).toEqual([]);

    // A tick already under way in the scheduler when stop() was called.
    scheduler.fire(SCHEDULE, { evenIfStopped: true });
    time.advance(SPLAY);
    await settle();
    expect(api.calls).toHaveLength(1);

    const refused = loop.refresh();
    await expect(refused).rejects.toBeInstanceOf(Error);
    await expect(refused).rejects.toMatchObject({ code: 'agent_stopping' });
    expect(api.calls).toHaveLength(1);
    expect(loop.running()).toBe(false);
  });

  it("aborting the agent's lifetime cancels a pending splay and stops the loop, quietly", async () => {
    const { loop, api, scheduler, time, lifetime, log } = await booted();
    scheduler.fire(SCHEDULE);
    await settle();
    expect(time.pending()).toBe(1);

    lifetime.abort();
    await settle();
    expect(time.aborted).toBe(1);
    expect(time.pending()).toBe(0);
    expect(scheduler.live()).toEqual([]);
    await expect(loop.refresh()).rejects.toMatchObject({ code: 'agent_stopping' });

    time.advance(SPLAY);
    await settle();
    expect(api.calls).toHaveLength(1);
    expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('stop() alone leaves a pending splay to run out, and nothing starts when it does', async () => {
    const { loop, api, scheduler, time } = await booted();
    scheduler.fire(SCHEDULE);
    await loop.stop();
    expect(time.pending()).toBe(1);
    time.advance(SPLAY);
    await settle();
    expect(api.calls).toHaveLength(1);
    expect(loop.running()).toBe(false);
  });
});

describe('the sync loop when the wall clock is wrong', () => {
  const warnings = (log: ReturnType<typeof setup>['log']) =>
    log.entries.filter((e) => e.level === 'warn').map((e) => e.message);

  it('notices a clock set back within a minute, on the monotonic ticker alone', async () => {
    const { ticker, time, log, board } = await booted();
    time.advance(MINUTE);
    time.wallOffsetMs = -HOUR;
    ticker.fire();
    await settle();
    expect(board.state().trust.clockRollbacks).toBe(1);
    expect(warnings(log)).toEqual([expect.stringContaining('the wall clock moved back')]);
  });

  it('syncs anyway once no sync has started for the longest gap of the schedule plus the splay', async () => {
    const { ticker, time, api, log } = await booted();
    // The clock set back an hour: cron fires no tick, and none is fired here.
    time.wallOffsetMs = -HOUR;
    time.advance(6 * HOUR + settings.splayMs);
    ticker.fire();
    await settle();
    expect(api.calls).toHaveLength(1);

    time.advance(1);
    ticker.fire();
    await settle();
    expect(api.calls).toHaveLength(2);
    expect(warnings(log)).toContainEqual(expect.stringContaining('no sync started on schedule'));
  });

  it('the safety net measures from the latest sync, whatever started it', async () => {
    const { ticker, time, api, loop } = await booted();
    time.advance(5 * HOUR);
    const refreshed = loop.refresh();
    api.answer(genuine([license()]));
    await refreshed;
    time.advance(HOUR + settings.splayMs + 1);
    ticker.fire();
    await settle();
    expect(api.calls).toHaveLength(2);
  });

  it('keeps trusted time running, and on disk, while the wall clock stands a day behind', async () => {
    const { ticker, time, api, board, saves } = await booted();
    time.wallOffsetMs = -24 * HOUR;
    time.advance(2 * HOUR);
    ticker.fire();
    await settle();
    expect(board.trustedNow()).toBe(T0 + 2 * HOUR);
    // Every ten minutes of trusted time the watch saves it, with the monotonic reading.
    expect(saves.saved.at(-1)?.trust).toMatchObject({
      highestTrustedAt: T0 + 2 * HOUR,
      highestMonotonic: 2 * HOUR,
      clockBehindMs: 24 * HOUR,
    });
    expect(api.calls).toHaveLength(1);
  });
});
