import { describe, expect, it } from 'vitest';
import { DecisionBoard } from '../../src/agent/decision-board.js';
import { HOUR } from '../../src/domain/time.js';
import { evidence, feature, license, T0 } from '../domain/license-builders.js';
import { ManualClock, SteppedTime } from './fakes.js';

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

describe('the decision board', () => {
  it('is not ready until the server has said something', () => {
    const board = new DecisionBoard(policy, new ManualClock(T0));
    expect(board.ready()).toBe(false);
    expect(board.feature('reporting').state).toBe('unknown');
    board.apply(answer());
    expect(board.ready()).toBe(true);
    expect(board.feature('reporting').allowed).toBe(true);
  });

  it('a feature stops being allowed the moment it expires, with no sync in between', () => {
    const clock = new ManualClock(T0);
    const board = new DecisionBoard(policy, clock);
    board.apply(answer([license({ features: [feature({ expiresAt: T0 + HOUR })] })]));
    clock.at = T0 + HOUR - 1;
    expect(board.feature('reporting').allowed).toBe(true);
    clock.at = T0 + HOUR;
    expect(board.feature('reporting')).toMatchObject({ allowed: false, reason: 'feature_expired' });
  });

  it('a feature expires on time with the wall clock set back: the board follows trusted time', () => {
    const time = new SteppedTime(T0);
    const board = new DecisionBoard(policy, time);
    board.apply(answer([license({ features: [feature({ expiresAt: T0 + HOUR })] })]));
    time.wallOffsetMs = -2 * HOUR;
    time.advance(HOUR - 1);
    expect(board.feature('reporting').allowed).toBe(true);
    time.advance(1);
    expect(board.feature('reporting')).toMatchObject({ allowed: false, reason: 'feature_expired' });
    expect(board.trustedNow()).toBe(T0 + HOUR);
  });

  it('the offline grace lapses on time while the server stays unreachable', () => {
    const clock = new ManualClock(T0);
    const board = new DecisionBoard(policy, clock);
    board.apply(answer());
    board.apply({ kind: 'unreachable', reason: 'connection_refused' });
    clock.at = T0 + 72 * HOUR - 1;
    expect(board.feature('reporting')).toMatchObject({ allowed: true, state: 'grace' });
    clock.at = T0 + 72 * HOUR;
    expect(board.feature('reporting')).toMatchObject({
      allowed: false,
      reason: 'offline_grace_expired',
    });
  });

  it('answers repeated questions from the same decisions until something changes', () => {
    const clock = new ManualClock(T0);
    const board = new DecisionBoard(policy, clock);
    board.apply(answer());
    const first = board.decisions();
    clock.at += HOUR;
    expect(board.decisions()).toBe(first);
  });

  it('reports the decisions before and after an event', () => {
    const board = new DecisionBoard(policy, new ManualClock(T0));
    board.apply(answer());
    const { before, after } = board.apply(answer([license({ enabled: false })]));
    expect(before.features[0]?.allowed).toBe(true);
    expect(after.features[0]?.reason).toBe('license_disabled');
  });

  it('lists the features a licence carries or the config names, and no other', () => {
    const clock = new ManualClock(T0);
    const board = new DecisionBoard({ ...policy, features: ['configured-only'] }, clock);
    board.apply(answer([license({ features: [feature({ expiresAt: T0 + HOUR })] })]));
    expect(board.listedFeature('reporting')).toMatchObject({ allowed: true, code: 'reporting' });
    expect(board.listedFeature('configured-only')).toMatchObject({ reason: 'not_licensed' });
    expect(board.listedFeature('never-heard-of')).toBeUndefined();
    clock.at = T0 + HOUR;
    expect(board.listedFeature('reporting')).toMatchObject({ reason: 'feature_expired' });
  });

  it('a restored state is answered from at once', () => {
    const source = new DecisionBoard(policy, new ManualClock(T0));
    const { state } = source.apply(answer());
    const restarted = new DecisionBoard(policy, new ManualClock(T0 + HOUR));
    restarted.restore(state);
    expect(restarted.ready()).toBe(true);
    expect(restarted.feature('reporting')).toMatchObject({ allowed: true, state: 'active' });
  });
});
