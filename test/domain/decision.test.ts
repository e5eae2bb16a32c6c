import { describe, expect, it } from 'vitest';
import { decide, featureDecision, type Decisions } from '../../src/domain/decision.js';
import {
  featureCheckKey,
  noObservations,
  type FeatureCheckObservation,
  type Observations,
} from '../../src/domain/observations.js';
import type { RefusalCode } from '../../src/domain/refusal.js';
import { HOUR } from '../../src/domain/time.js';
import { evidence, feature, license, T0 } from './license-builders.js';

const policy = { features: [] };
const verifiedAt = T0 - HOUR;

function seen(licenses = [license()], checks: [string, FeatureCheckObservation][] = []) {
  return {
    licenses: { kind: 'licenses', licenses, verifiedAt, evidence },
    featureChecks: new Map(checks),
  } satisfies Observations;
}

function reporting(decisions: Decisions) {
  return featureDecision(decisions, 'reporting');
}

describe('licence decisions', () => {
  const cases: {
    fact: string;
    license: Parameters<typeof license>[0];
    state: string;
    reason: string;
    allowed: boolean;
  }[] = [
    {
      fact: 'an enabled, active, open-ended licence is active',
      license: {},
      state: 'active',
      reason: 'licensed',
      allowed: true,
    },
    {
      fact: 'a disabled licence is denied',
      license: { enabled: false },
      state: 'denied',
      reason: 'license_disabled',
      allowed: false,
    },
    {
      fact: 'an inactive licence is denied',
      license: { active: false },
      state: 'denied',
      reason: 'license_not_active',
      allowed: false,
    },
    {
      fact: 'a licence valid until tomorrow is active',
      license: { validUntil: T0 + 24 * HOUR },
      state: 'active',
      reason: 'licensed',
      allowed: true,
    },
    {
      fact: 'a licence past its validity is expired',
      license: { validUntil: T0 - 1 },
      state: 'expired',
      reason: 'license_expired',
      allowed: false,
    },
    {
      fact: 'a licence is expired at the very instant its validity ends',
      license: { validUntil: T0 },
      state: 'expired',
      reason: 'license_expired',
      allowed: false,
    },
    {
      fact: 'a licence past validity but within its own grace hours is in grace',
      license: { validUntil: T0 - HOUR, graceHours: 2 },
      state: 'grace',
      reason: 'license_grace_period',
      allowed: true,
    },
    {
      fact: 'a licence past validity and its grace hours is expired',
      license: { validUntil: T0 - 3 * HOUR, graceHours: 2 },
      state: 'expired',
      reason: 'license_expired',
      allowed: false,
    },
    {
      fact: 'a licence the server calls expired is expired whatever its dates say',
      license: { expired: true, validUntil: T0 + 24 * HOUR },
      state: 'expired',
      reason: 'license_expired',
      allowed: false,
    },
    {
      fact: 'a disabled licence is denied even while valid',
      license: { enabled: false, validUntil: T0 + HOUR },
      state: 'denied',
      reason: 'license_disabled',
      allowed: false,
    },
  ];
  it.each(cases)('$fact', ({ license: overrides, state, reason, allowed }) => {
    const decisions = decide(seen([license(overrides)]), T0, policy);
    expect(decisions.licenses[0]).toMatchObject({ state, reason, allowed, licenseId: 1 });
    expect(reporting(decisions)).toMatchObject({ state, reason, allowed });
  });

  it('reports when the grace period ends', () => {
    const decisions = decide(seen([license({ validUntil: T0 - HOUR, graceHours: 2 })]), T0, policy);
    expect(decisions.licenses[0]?.graceEndsAt).toBe(T0 + HOUR);
    expect(decisions.licenses[0]?.expiresAt).toBe(T0 + HOUR);
  });

  it('carries when the server last confirmed the answer', () => {
    const decisions = decide(seen(), T0, policy);
    expect(decisions.licenses[0]?.lastVerifiedAt).toBe(verifiedAt);
    expect(reporting(decisions).lastVerifiedAt).toBe(verifiedAt);
  });
});

describe('a licence the vendor marks prevent_vm', () => {
  const guarded = license({ preventVm: true });
  it.each(['virtual_machine', 'container', 'unknown'] as const)(
    'grants nothing on a %s verdict',
    (machine) => {
      const decisions = decide(seen([guarded]), T0, { ...policy, machine });
      expect(decisions.licenses[0]).toMatchObject({ state: 'denied', reason: 'vm_not_allowed' });
      expect(reporting(decisions)).toMatchObject({ allowed: false, reason: 'vm_not_allowed' });
    },
  );

  it('is granted on a physical machine', () => {
    const decisions = decide(seen([guarded]), T0, { ...policy, machine: 'physical' });
    expect(reporting(decisions)).toMatchObject({ allowed: true, state: 'active' });
  });

  it('is not granted when nobody said what the machine is', () => {
    expect(reporting(decide(seen([guarded]), T0, policy)).reason).toBe('vm_not_allowed');
  });

  it('leaves a licence without the mark granted on a virtual machine', () => {
    const decisions = decide(seen([license()]), T0, { ...policy, machine: 'virtual_machine' });
    expect(reporting(decisions).allowed).toBe(true);
  });
});

describe('feature decisions', () => {
  it('a feature past its expiry date is expired while its licence stays active', () => {
    const decisions = decide(
      seen([license({ features: [feature({ expiresAt: T0 - 1 })] })]),
      T0,
      policy,
    );
    expect(decisions.licenses[0]?.state).toBe('active');
    expect(reporting(decisions)).toMatchObject({ state: 'expired', reason: 'feature_expired' });
  });

  it('a feature expires with the earlier of its own expiry and its licence', () => {
    const decisions = decide(
      seen([license({ validUntil: T0 + 5 * HOUR, features: [feature({ expiresAt: T0 + HOUR })] })]),
      T0,
      policy,
    );
    expect(reporting(decisions)).toMatchObject({ allowed: true, expiresAt: T0 + HOUR });
  });

  it('a feature carried by two licences is allowed when either allows it', () => {
    const decisions = decide(
      seen([license({ id: 1, enabled: false }), license({ id: 2, key: 'K2' })]),
      T0,
      policy,
    );
    expect(reporting(decisions)).toMatchObject({ allowed: true, licenseId: 2 });
  });

  it('among allowing licences the longest-lasting one answers', () => {
    const decisions = decide(
      seen([license({ id: 1, validUntil: T0 + HOUR }), license({ id: 2, validUntil: null })]),
      T0,
      policy,
    );
    expect(reporting(decisions)).toMatchObject({ licenseId: 2, expiresAt: null });
  });

  it('a feature no licence carries is denied as not licensed', () => {
    const decisions = decide(seen(), T0, policy);
    expect(featureDecision(decisions, 'scada')).toMatchObject({
      allowed: false,
      state: 'denied',
      reason: 'not_licensed',
      licenseId: null,
    });
  });

  it('configured features are listed even when no licence carries them', () => {
    const decisions = decide(seen(), T0, { features: ['scada'] });
    expect(decisions.features.map((f) => f.code)).toEqual(['reporting', 'scada']);
  });

  it('a granted feature check confirms the feature and its expiry', () => {
    const grant = { licenseId: 1, code: 'reporting', expiresAt: T0 + HOUR, floatingInUse: 1 };
    const decisions = decide(
      seen(undefined, [
        [featureCheckKey(1, 'reporting'), { kind: 'granted', grant, verifiedAt: T0, evidence }],
      ]),
      T0,
      policy,
    );
    expect(reporting(decisions)).toMatchObject({
      allowed: true,
      expiresAt: T0 + HOUR,
      lastVerifiedAt: T0,
    });
  });
});

describe('every refusal the vendor documents maps to a denial with its reason', () => {
  const refusals: RefusalCode[] = [
    'unknown_product',
    'license_not_found',
    'license_disabled',
    'license_not_active',
    'device_not_found',
    'device_blacklisted',
    'feature_not_on_license',
    'floating_slots_exhausted',
    'refused_other',
  ];
  it.each(refusals)('a feature check refused with %s denies the feature', (code) => {
    const decisions = decide(
      seen(undefined, [
        [featureCheckKey(1, 'reporting'), { kind: 'refused', code, verifiedAt: T0 }],
      ]),
      T0,
      policy,
    );
    expect(reporting(decisions)).toMatchObject({ allowed: false, state: 'denied', reason: code });
  });

  it.each(refusals)('a device refused with %s has every feature denied', (code) => {
    const decisions = decide(
      { licenses: { kind: 'refused', code, verifiedAt: T0 }, featureChecks: new Map() },
      T0,
      { features: ['reporting'] },
    );
    expect(decisions.device).toMatchObject({ allowed: false, state: 'denied', reason: code });
    expect(reporting(decisions)).toMatchObject({ allowed: false, state: 'denied', reason: code });
    expect(featureDecision(decisions, 'other')).toMatchObject({ state: 'denied', reason: code });
  });
});

describe('before any genuine answer', () => {
  it('every feature is unknown and not allowed', () => {
    const decisions = decide(noObservations, T0, { features: ['reporting'] });
    expect(decisions.device.state).toBe('unknown');
    expect(reporting(decisions)).toMatchObject({
      allowed: false,
      state: 'unknown',
      reason: 'no_genuine_answer',
      lastVerifiedAt: null,
    });
    expect(featureDecision(decisions, 'anything').state).toBe('unknown');
  });
});

describe('a configured product', () => {
  it('counts only licences of that product', () => {
    const other = license({
      id: 2,
      key: 'K2',
      productCode: 'other',
      features: [feature({ code: 'x' })],
    });
    const decisions = decide(seen([license(), other]), T0, { features: [], product: 'edge-suite' });
    expect(decisions.licenses.map((l) => l.licenseId)).toEqual([1]);
    expect(featureDecision(decisions, 'x')).toMatchObject({
      allowed: false,
      reason: 'not_licensed',
    });
  });
});

describe('the fail policy while the agent cannot decide', () => {
  const whenUnknown = {
    default: 'fail-closed' as const,
    features: { 'opc-ua': 'fail-open' as const },
  };

  it('denies by default, and says the policy decided', () => {
    const decisions = decide(noObservations, T0, { features: ['reporting'], whenUnknown });
    expect(featureDecision(decisions, 'reporting', { whenUnknown })).toMatchObject({
      allowed: false,
      state: 'unknown',
      policy: 'fail-closed',
    });
  });

  it('allows a feature configured fail-open, still as unknown', () => {
    const decisions = decide(noObservations, T0, { features: ['opc-ua'], whenUnknown });
    expect(featureDecision(decisions, 'opc-ua', { whenUnknown })).toMatchObject({
      allowed: true,
      state: 'unknown',
      reason: 'no_genuine_answer',
      policy: 'fail-open',
    });
  });

  it('applies to codes the agent has never heard of too', () => {
    const decisions = decide(noObservations, T0, { features: [], whenUnknown });
    expect(featureDecision(decisions, 'opc-ua', { whenUnknown }).allowed).toBe(true);
    expect(featureDecision(decisions, 'other', { whenUnknown }).allowed).toBe(false);
  });

  it('never applies once the server has answered: a denial stays a denial', () => {
    const decisions = decide(
      seen([license({ enabled: false, features: [feature({ code: 'opc-ua' })] })]),
      T0,
      { features: [], whenUnknown },
    );
    const answer = featureDecision(decisions, 'opc-ua', { whenUnknown });
    expect(answer).toMatchObject({ allowed: false, reason: 'license_disabled' });
    expect(answer.policy).toBeUndefined();
  });
});
