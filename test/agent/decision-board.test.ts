import { describe, expect, it } from 'vitest';
import { DecisionBoard } from '../../src/agent/decision-board.js';
import { HOUR } from '../../src/domain/time.js';
import { feature, license, T0 } from '../domain/license-builders.js';
import { ManualClock } from './fakes.js';

function observed(licenses = [license()]) {
  return {
    licenses: { kind: 'licenses' as const, licenses, verifiedAt: T0 },
    featureChecks: new Map(),
  };
}

describe('the decision board', () => {
  it('is not ready until the server has said something', () => {
    const board = new DecisionBoard({ features: [] }, new ManualClock(T0));
    expect(board.ready()).toBe(false);
    expect(board.feature('reporting').state).toBe('unknown');
    board.update(observed());
    expect(board.ready()).toBe(true);
    expect(board.feature('reporting').allowed).toBe(true);
  });

  it('a feature stops being allowed the moment it expires, with no sync in between', () => {
    const clock = new ManualClock(T0);
    const board = new DecisionBoard({ features: [] }, clock);
    board.update(observed([license({ features: [feature({ expiresAt: T0 + HOUR })] })]));
    clock.at = T0 + HOUR - 1;
    expect(board.feature('reporting').allowed).toBe(true);
    clock.at = T0 + HOUR;
    expect(board.feature('reporting')).toMatchObject({ allowed: false, reason: 'feature_expired' });
  });

  it('answers repeated questions from the same decisions until something changes', () => {
    const clock = new ManualClock(T0);
    const board = new DecisionBoard({ features: [] }, clock);
    board.update(observed());
    const first = board.decisions();
    clock.at += HOUR;
    expect(board.decisions()).toBe(first);
  });

  it('reports the decisions before and after an update', () => {
    const board = new DecisionBoard({ features: [] }, new ManualClock(T0));
    board.update(observed());
    const { before, after } = board.update(observed([license({ enabled: false })]));
    expect(before.features[0]?.allowed).toBe(true);
    expect(after.features[0]?.reason).toBe('license_disabled');
  });
});
