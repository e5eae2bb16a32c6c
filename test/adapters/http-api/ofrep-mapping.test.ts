import { describe, expect, it } from 'vitest';
import { ofrepEvaluation, ofrepFailure } from '../../../src/adapters/http-api/ofrep-mapping.js';
import type { FeatureDecision } from '../../../src/domain/decision.js';

const T = Date.UTC(2030, 0, 15, 12, 0, 0);
const iso = (at: number) => new Date(at).toISOString();

const base: FeatureDecision = {
  code: 'reporting',
  allowed: true,
  state: 'active',
  reason: 'licensed',
  expiresAt: null,
  graceEndsAt: null,
  lastVerifiedAt: T,
  licenseId: 101,
};

describe('ofrepEvaluation', () => {
  it.each<[string, Partial<FeatureDecision>, { value: boolean; reason: string; variant: string }]>([
    ['active', {}, { value: true, reason: 'STATIC', variant: 'on' }],
    [
      'in its licence grace period',
      { state: 'grace', reason: 'license_grace_period', graceEndsAt: T + 1 },
      { value: true, reason: 'STATIC', variant: 'on' },
    ],
    [
      'in offline grace',
      { state: 'grace', reason: 'offline_grace', graceEndsAt: T + 1 },
      { value: true, reason: 'STALE', variant: 'on' },
    ],
    [
      'expired',
      { allowed: false, state: 'expired', reason: 'license_expired', expiresAt: T - 1 },
      { value: false, reason: 'DISABLED', variant: 'off' },
    ],
    [
      'past its offline grace',
      { allowed: false, state: 'expired', reason: 'offline_grace_expired' },
      { value: false, reason: 'DISABLED', variant: 'off' },
    ],
    [
      'denied',
      { allowed: false, state: 'denied', reason: 'device_blacklisted' },
      { value: false, reason: 'DISABLED', variant: 'off' },
    ],
    [
      'unknown, fail-closed',
      {
        allowed: false,
        state: 'unknown',
        reason: 'no_genuine_answer',
        lastVerifiedAt: null,
        licenseId: null,
        policy: 'fail-closed',
      },
      { value: false, reason: 'DEFAULT', variant: 'off' },
    ],
    [
      'unknown, fail-open',
      {
        allowed: true,
        state: 'unknown',
        reason: 'no_genuine_answer',
        lastVerifiedAt: null,
        licenseId: null,
        policy: 'fail-open',
      },
      { value: true, reason: 'DEFAULT', variant: 'on' },
    ],
  ])('maps a feature %s', (_name, change, expected) => {
    const answer = ofrepEvaluation('reporting', { ...base, ...change });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ key: 'reporting', ...expected });
  });

  it('takes the value from allowed alone', () => {
    const answer = ofrepEvaluation('reporting', { ...base, allowed: false });
    expect(answer.body).toMatchObject({ value: false, variant: 'off' });
  });

  it('puts the agent state, reason, instants, licence and policy in metadata, leaving out nulls', () => {
    const withAll = ofrepEvaluation('reporting', {
      ...base,
      state: 'grace',
      reason: 'offline_grace',
      expiresAt: T + 2,
      graceEndsAt: T + 1,
      policy: 'fail-open',
    });
    expect(withAll.body).toMatchObject({
      metadata: {
        state: 'grace',
        reason: 'offline_grace',
        expiresAt: iso(T + 2),
        graceEndsAt: iso(T + 1),
        lastVerifiedAt: iso(T),
        licenseId: 101,
        policy: 'fail-open',
      },
    });

    const sparse = ofrepEvaluation('x', { ...base, lastVerifiedAt: null, licenseId: null });
    expect(sparse.body).toMatchObject({ metadata: { state: 'active', reason: 'licensed' } });
    expect(Object.keys((sparse.body as { metadata: object }).metadata)).toEqual([
      'state',
      'reason',
    ]);
  });

  it('answers FLAG_NOT_FOUND with 404 for a feature the device never had', () => {
    expect(ofrepEvaluation('no-such-feature', null)).toEqual({
      status: 404,
      body: {
        key: 'no-such-feature',
        errorCode: 'FLAG_NOT_FOUND',
        errorDetails: expect.any(String),
      },
    });
  });
});

describe('ofrepFailure', () => {
  it.each([
    ['PARSE_ERROR', 400],
    ['INVALID_CONTEXT', 400],
    ['FLAG_NOT_FOUND', 404],
    ['GENERAL', 500],
  ] as const)('answers %s with %i', (code, status) => {
    expect(ofrepFailure('k', code, 'why')).toEqual({
      status,
      body: { key: 'k', errorCode: code, errorDetails: 'why' },
    });
  });
});
