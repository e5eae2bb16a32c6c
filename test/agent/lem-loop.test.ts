import { describe, expect, it } from 'vitest';
import { LemBoard } from '../../src/agent/lem-board.js';
import { LemLoop } from '../../src/agent/lem-loop.js';
import type { LemMetrics } from '../../src/agent/lem-poll-ports.js';
import type { LemApi } from '../../src/agent/lem-ports.js';
import type { LemOutcome } from '../../src/domain/lem.js';
import type { LemSnapshot } from '../../src/domain/lem-snapshot.js';
import { splayOffsetMs } from '../../src/domain/splay.js';
import { HandScheduler, ManualClock, recordingLogger } from './fakes.js';

const T = Date.UTC(2026, 0, 1);
const SCHEDULE = '*/15 * * * *';

const refused: LemOutcome<never> = {
  kind: 'refused',
  status: 401,
  code: 'lem_token_rejected',
  message:
    'the LEM token is wrong or expired: manage tokens under System > Access Control > Tokens',
};

/** A LEM whose every part answers `outcome()`, counting the calls. */
function lemAnswering(outcome: () => LemOutcome<never> | 'ok'): LemApi & { calls: string[] } {
  const calls: string[] = [];
  const answer = <T>(name: string, value: T) => {
    calls.push(name);
    const next = outcome();
    return Promise.resolve(next === 'ok' ? ({ kind: 'ok', value } as const) : next);
  };
  const unused = () => Promise.reject(new Error('not polled'));
  return {
    calls,
    poolStats: () => answer('stats', { active: 1, used: 1, unused: 0, expired: 0 }),
    skus: () => answer('skus', []),
    usedPage: unused,
    allUsed: () => answer('used', []),
    serverFeatures: () => answer('serverFeatures', []),
    licenseFeatures: () =>
      answer('licenseFeatures', [
        {
          name: 'catalog',
          description: null,
          expiresAt: null,
          count: -1,
          limited: false,
          enabled: true,
        },
      ]),
    uploadCsv: unused,
    reportCsv: unused,
    emailReport: unused,
  };
}

function loop(api: LemApi, controller = new AbortController()) {
  const clock = new ManualClock(T);
  const scheduler = new HandScheduler();
  const board = new LemBoard({ default: 'fail-closed', features: {} }, () => clock.now());
  const polled: string[] = [];
  const metrics: LemMetrics = {
    polled: (part, outcome) => polled.push(`${part} ${outcome.label}`),
    show: () => undefined,
  };
  const saved: LemSnapshot[] = [];
  const log = recordingLogger();
  const lemLoop = new LemLoop(
    {
      api,
      board,
      clock,
      sleep: clock.sleep,
      scheduler,
      metrics,
      log,
      persist: (snapshot) => {
        saved.push(snapshot);
        return Promise.resolve();
      },
    },
    { schedule: SCHEDULE, splayMs: 120_000, seed: 'hw-1', match: { kind: 'none' } },
    controller.signal,
  );
  return { lemLoop, clock, scheduler, board, polled, saved, log };
}

describe('the LEM poll loop', () => {
  it('reads every part once at start, and saves what it read', async () => {
    const api = lemAnswering(() => 'ok');
    const { lemLoop, board, saved } = loop(api);
    lemLoop.start();
    await lemLoop.poll();
    expect(api.calls.sort()).toEqual([
      'licenseFeatures',
      'serverFeatures',
      'skus',
      'stats',
      'used',
    ]);
    expect(board.feature('lem:catalog')).toMatchObject({ allowed: true, lastVerifiedAt: T });
    expect(saved).toHaveLength(1);
  });

  it("waits this device's own splay after each tick of its own schedule", async () => {
    const api = lemAnswering(() => 'ok');
    const { lemLoop, clock, scheduler } = loop(api);
    lemLoop.start();
    await lemLoop.poll();
    scheduler.fire(SCHEDULE);
    for (let turns = 0; turns < 100 && api.calls.length < 10; turns++) {
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(clock.sleeps).toEqual([splayOffsetMs('hw-1', 120_000)]);
    expect(api.calls).toHaveLength(10);
  });

  it('counts and logs a refused poll with its message, keeping the last good answer', async () => {
    let answer: LemOutcome<never> | 'ok' = 'ok';
    const api = lemAnswering(() => answer);
    const { lemLoop, board, polled, log } = loop(api);
    await lemLoop.poll();
    answer = refused;
    await lemLoop.poll();
    expect(polled).toContain('stats lem_token_rejected');
    expect(board.feature('lem:catalog')).toMatchObject({ allowed: true, lastVerifiedAt: T });
    const warning = log.entries.find((e) => e.level === 'warn');
    expect(JSON.stringify(warning?.fields)).toContain('System > Access Control > Tokens');
  });

  it('stops its schedule when stopped, and polls no more', async () => {
    const { lemLoop, scheduler } = loop(lemAnswering(() => 'ok'));
    lemLoop.start();
    await lemLoop.stop();
    expect(scheduler.live()).toEqual([]);
    await expect(lemLoop.poll()).rejects.toMatchObject({ code: 'agent_stopping' });
  });
});
