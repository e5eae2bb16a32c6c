import { describe, expect, it } from 'vitest';
import { DecisionBoard } from '../../src/agent/decision-board.js';
import { DecisionWatch } from '../../src/agent/decision-watch.js';
import type { DecisionChange } from '../../src/domain/decision-changes.js';
import { HOUR } from '../../src/domain/time.js';
import { evidence, feature, license, T0 } from '../domain/license-builders.js';
import { HandTicker, recordingLogger, SteppedTime } from './fakes.js';

const policy = {
  features: [],
  offlineGraceMs: 72 * HOUR,
  rollbackToleranceMs: 300_000,
  maxServerAheadMs: 900_000,
};

function answer(licenses = [license()]) {
  return {
    kind: 'genuine-answer' as const,
    serverDate: null,
    observations: {
      licenses: { kind: 'licenses' as const, licenses, verifiedAt: T0, evidence },
      featureChecks: new Map(),
    },
  };
}

function watched() {
  const time = new SteppedTime(T0);
  const board = new DecisionBoard(policy, time);
  const ticker = new HandTicker();
  const watch = new DecisionWatch(board, ticker, recordingLogger());
  const heard: DecisionChange[] = [];
  watch.subscribe((changes) => heard.push(...changes));
  return { time, board, ticker, watch, heard };
}

/** Fires the watch's own wait, the only thing on this ticker. */
function fireWait(ticker: HandTicker): void {
  expect(ticker.live()).toHaveLength(1);
  ticker.fire();
}

describe('the decision watch', () => {
  it('tells of a revocation the moment the board applies it', () => {
    const { board, heard } = watched();
    board.apply(answer());
    heard.length = 0;
    board.apply(answer([license({ enabled: false })]));
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({
      feature: 'reporting',
      from: { allowed: true, state: 'active' },
      to: { allowed: false, reason: 'license_disabled' },
    });
  });

  it('tells of the offline grace ending with no sync, when its wait on the ticker runs out', () => {
    const { time, board, ticker, heard } = watched();
    board.apply(answer());
    board.apply({ kind: 'unreachable', reason: 'connection_refused' });
    expect(heard.at(-1)).toMatchObject({ to: { state: 'grace', reason: 'offline_grace' } });
    heard.length = 0;
    // Waits are capped (timers hold at most ~24.8 days): the watch waits again until the end.
    while (time.monotonic() < 72 * HOUR) {
      time.advance(Math.min(ticker.live()[0] ?? Infinity, 72 * HOUR - time.monotonic()));
      fireWait(ticker);
    }
    expect(heard).toEqual([
      expect.objectContaining({
        feature: 'reporting',
        from: expect.objectContaining({ state: 'grace' }),
        to: expect.objectContaining({ allowed: false, reason: 'offline_grace_expired' }),
        at: T0 + 72 * HOUR,
      }),
    ]);
  });

  it('tells of a feature expiring with no sync', () => {
    const { time, board, ticker, heard } = watched();
    board.apply(answer([license({ features: [feature({ expiresAt: T0 + HOUR })] })]));
    heard.length = 0;
    expect(ticker.live()).toEqual([HOUR]);
    time.advance(HOUR);
    fireWait(ticker);
    expect(heard).toMatchObject([{ feature: 'reporting', to: { reason: 'feature_expired' } }]);
  });

  it('says nothing when a sync brings the same answers again', () => {
    const { board, heard } = watched();
    board.apply(answer());
    heard.length = 0;
    board.apply(answer());
    expect(heard).toEqual([]);
  });

  it('keeps telling the others when one listener throws', () => {
    const { board, watch, heard } = watched();
    watch.subscribe(() => {
      throw new Error('a broken listener');
    });
    board.apply(answer());
    expect(heard.length).toBeGreaterThan(0);
  });
});
