import { describe, expect, it } from 'vitest';
import type { WhenUnknown } from '../../src/domain/decision.js';
import type { LemLicenseFeature } from '../../src/domain/lem.js';
import {
  decideLemFeature,
  decideLemFeatures,
  isLemFeatureCode,
} from '../../src/domain/lem-feature-decision.js';

const T = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const closed: WhenUnknown = { default: 'fail-closed', features: {} };

function feature(name: string, extra: Partial<LemLicenseFeature> = {}): LemLicenseFeature {
  return {
    name,
    description: null,
    expiresAt: T + DAY,
    count: -1,
    limited: false,
    enabled: true,
    ...extra,
  };
}

const answer = {
  verifiedAt: T - DAY,
  features: [
    feature('catalog'),
    feature('analytics', { enabled: false }),
    feature('old', { expiresAt: T - 1 }),
    feature('forever', { expiresAt: null }),
  ],
};

describe('deciding a lem: question', () => {
  it.for([
    ['lem:catalog', true, 'active', 'lem_licensed'],
    ['lem:forever', true, 'active', 'lem_licensed'],
    ['lem:analytics', false, 'denied', 'lem_feature_disabled'],
    ['lem:old', false, 'expired', 'lem_feature_expired'],
    ['lem:missing', false, 'denied', 'lem_feature_unknown'],
  ] as const)('answers %s as allowed=%s, %s, %s', ([code, allowed, state, reason]) => {
    const decision = decideLemFeature(code, answer, T, closed);
    expect(decision).toMatchObject({ code, allowed, state, reason, lastVerifiedAt: T - DAY });
  });

  it('expires a feature the instant trusted time reaches its expiry', () => {
    expect(decideLemFeature('lem:catalog', answer, T + DAY - 1, closed).allowed).toBe(true);
    expect(decideLemFeature('lem:catalog', answer, T + DAY, closed).reason).toBe(
      'lem_feature_expired',
    );
  });

  it('applies the fail policy, and says so, while LEM has not answered at all', () => {
    expect(decideLemFeature('lem:catalog', null, T, closed)).toMatchObject({
      allowed: false,
      state: 'unknown',
      reason: 'no_lem_answer',
      policy: 'fail-closed',
    });
    const open: WhenUnknown = { default: 'fail-closed', features: { 'lem:catalog': 'fail-open' } };
    expect(decideLemFeature('lem:catalog', null, T, open)).toMatchObject({
      allowed: true,
      state: 'unknown',
      policy: 'fail-open',
    });
  });

  it('lists every feature of the licence, sorted, and knows when the next one expires', () => {
    const { features, nextChangeAt } = decideLemFeatures(answer, T, closed);
    expect(features.map((f) => f.code)).toEqual([
      'lem:analytics',
      'lem:catalog',
      'lem:forever',
      'lem:old',
    ]);
    expect(nextChangeAt).toBe(T + DAY);
  });

  it('takes only codes with a name after the lem: prefix as LEM questions', () => {
    expect(isLemFeatureCode('lem:catalog')).toBe(true);
    expect(isLemFeatureCode('lem:')).toBe(false);
    expect(isLemFeatureCode('catalog')).toBe(false);
  });
});
