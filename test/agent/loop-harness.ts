import { DecisionBoard } from '../../src/agent/decision-board.js';
import type { LicenseApi } from '../../src/agent/ports.js';
import { SyncLoop, type SyncLoopSettings } from '../../src/agent/sync-loop.js';
import { HOUR } from '../../src/domain/time.js';
import { T0 } from '../domain/license-builders.js';
import {
  HandScheduler,
  HandTicker,
  memoryPersist,
  recordingLogger,
  recordingMetrics,
  SteppedTime,
} from './fakes.js';

/** One attempt per call: the loop's tests are about the loop, not the retries within a sync. */
const policy = { attempts: 1, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
export const boardPolicy = {
  features: [],
  offlineGraceMs: 72 * HOUR,
  rollbackToleranceMs: 300_000,
  maxServerAheadMs: 900_000,
};

/** A sync loop on stepped time, hand-fired schedule and ticker, in-memory saves. */
export function loopWith<Api extends LicenseApi>(api: Api, settings: SyncLoopSettings) {
  const time = new SteppedTime(T0);
  const scheduler = new HandScheduler();
  const ticker = new HandTicker();
  const saves = memoryPersist();
  const log = recordingLogger();
  const board = new DecisionBoard(boardPolicy, time);
  const lifetime = new AbortController();
  const loop = new SyncLoop(
    {
      api,
      board,
      scheduler,
      ticker,
      log,
      persist: saves.persist,
      clock: time,
      sleep: time.sleep,
      random: () => 0.5,
      metrics: recordingMetrics(),
      policy,
    },
    settings,
    lifetime.signal,
  );
  return { time, api, scheduler, ticker, saves, log, board, lifetime, loop };
}
