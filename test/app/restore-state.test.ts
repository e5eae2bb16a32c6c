import { describe, expect, it } from 'vitest';
import { DecisionBoard } from '../../src/agent/decision-board.js';
import type { SavedState } from '../../src/agent/state-ports.js';
import { createEvidenceReader } from '../../src/adapters/licensespring/evidence-reader.js';
import { createStateStore } from '../../src/adapters/state-store/state-store.js';
import { restoreState } from '../../src/app/restore-state.js';
import { HOUR } from '../../src/domain/time.js';
import { initialTimeline } from '../../src/domain/trust-timeline.js';
import { T0 } from '../domain/license-builders.js';
import { recordingLogger, recordingMetrics, SteppedTime } from '../agent/fakes.js';
import { tempDirs } from '../temp-dirs.js';

const tempDir = tempDirs('ela-restore-');
const BOOT = '81d9a188-2f24-4afc-ba88-17deeaf1326f';
const OTHER_BOOT = '0f3c6a52-7d1e-4b8a-9c2f-5e6d7a8b9c0d';
const policy = {
  features: [],
  offlineGraceMs: 72 * HOUR,
  rollbackToleranceMs: 300_000,
  maxServerAheadMs: 900_000,
};

/** Saved ten hours into the boot, at T0 + 10 h; restored three hours later, the wall clock a day back. */
async function restoreAfterThreeHours(
  saved: { bootId: string | null },
  now: { bootId: string | null },
) {
  const directory = await tempDir();
  const store = createStateStore({ directory });
  const state: SavedState = {
    hardwareId: 'hw',
    deviceLicenses: null,
    featureChecks: [],
    trust: { ...initialTimeline, highestTrustedAt: T0 + 10 * HOUR, highestMonotonic: 10 * HOUR },
    bootId: saved.bootId,
    savedAt: T0 + 10 * HOUR,
  };
  await store.save(state);

  const clock = new SteppedTime(T0);
  clock.advance(13 * HOUR);
  clock.wallOffsetMs = -24 * HOUR;
  const board = new DecisionBoard(policy, clock);
  const log = recordingLogger();
  const restored = await restoreState({
    store,
    evidence: createEvidenceReader(null),
    board,
    hardwareId: 'hw',
    metrics: recordingMetrics(),
    log,
    clock,
    bootId: now.bootId,
  });
  expect(restored).toEqual({ kind: 'restored' });
  return { board, log, clock };
}

describe('restoring the state at start', () => {
  it('within the boot that saved it, carries trusted time on by the time that passed since', async () => {
    const { board, log } = await restoreAfterThreeHours({ bootId: BOOT }, { bootId: BOOT });
    expect(board.trustedNow()).toBe(T0 + 13 * HOUR);
    expect(board.state().trust.clockBehindMs).toBe(24 * HOUR);
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        message: 'state restored from disk',
        fields: expect.objectContaining({ sameBoot: true }),
      }),
    );
  });

  it('on another boot, holds the saved instant as a floor and runs on from the restart', async () => {
    const { board, clock } = await restoreAfterThreeHours({ bootId: BOOT }, { bootId: OTHER_BOOT });
    expect(board.trustedNow()).toBe(T0 + 10 * HOUR);
    clock.advance(HOUR);
    expect(board.trustedNow()).toBe(T0 + 11 * HOUR);
  });

  it('when the boot ID cannot be read now, or could not be then, holds the saved instant as a floor', async () => {
    expect(
      (await restoreAfterThreeHours({ bootId: BOOT }, { bootId: null })).board.trustedNow(),
    ).toBe(T0 + 10 * HOUR);
    expect(
      (await restoreAfterThreeHours({ bootId: null }, { bootId: null })).board.trustedNow(),
    ).toBe(T0 + 10 * HOUR);
  });
});
