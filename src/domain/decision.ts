import type { LemDecisionReason } from './lem-feature-decision.js';
import type { MachineKind } from './machine-verdict.js';
import type { License, LicenseFeature } from './license.js';
import {
  featureCheckKey,
  type FeatureCheckObservation,
  type Observations,
} from './observations.js';
import type { RefusalCode } from './refusal.js';
import { HOUR, type Instant } from './time.js';

export type DecisionState = 'active' | 'grace' | 'expired' | 'denied' | 'unknown';

/** Why a decision is what it is. Stable codes: applications and dashboards branch on them. */
export type DecisionReason =
  | 'licensed'
  | 'license_grace_period'
  | 'offline_grace'
  | 'offline_grace_expired'
  | 'license_expired'
  | 'feature_expired'
  | 'not_licensed'
  | 'no_genuine_answer'
  /** The licence is `prevent_vm` and the machine is not seen to be physical. */
  | 'vm_not_allowed'
  | RefusalCode
  | LemDecisionReason;

export interface Decision {
  readonly allowed: boolean;
  readonly state: DecisionState;
  readonly reason: DecisionReason;
  /** When the entitlement ends if nothing changes; null when it does not expire (or is not held). */
  readonly expiresAt: Instant | null;
  /** End of the licence's own grace period, while in it. */
  readonly graceEndsAt: Instant | null;
  /** When the licence server last genuinely confirmed what this decision rests on. */
  readonly lastVerifiedAt: Instant | null;
}

export interface LicenseDecision extends Decision {
  readonly licenseId: number;
  readonly productCode: string;
  readonly type: string;
  readonly trial: boolean;
  readonly features: readonly string[];
}

export interface FeatureDecision extends Decision {
  readonly code: string;
  /** The licence the decision comes from; null when no licence carries the feature. */
  readonly licenseId: number | null;
  /** Present only when the agent could not decide (`unknown`) and a fail policy answered. */
  readonly policy?: FailPolicy;
}

/** What a feature question gets while the agent cannot decide: deny (closed) or allow (open). */
export type FailPolicy = 'fail-closed' | 'fail-open';

export interface WhenUnknown {
  readonly default: FailPolicy;
  readonly features: Readonly<Record<string, FailPolicy>>;
}

export interface Decisions {
  /** The device as a whole: refused outright (blacklisted, unknown) or holding licences. */
  readonly device: Decision;
  readonly licenses: readonly LicenseDecision[];
  readonly features: readonly FeatureDecision[];
  readonly decidedAt: Instant;
}

export interface DecisionPolicy {
  /** Features to answer for even when no licence carries them (so they show as denied). */
  readonly features: readonly string[];
  /** Only licences of this product count; null or absent: every licence of the device. */
  readonly product?: string | null;
  /** The fail policy per feature while the agent cannot decide; fail-closed when absent. */
  readonly whenUnknown?: WhenUnknown;
  /**
   * What the machine is: a fact, like time. A `prevent_vm` licence grants only on `physical`;
   * absent counts as `unknown`.
   */
  readonly machine?: MachineKind;
}

/** Turns the latest genuine answers and "now" into a decision per licence and feature. */
export function decide(
  observations: Observations,
  now: Instant,
  policy: DecisionPolicy,
): Decisions {
  const seen = observations.licenses;
  if (seen === null) {
    return {
      device: unknownDecision(),
      licenses: [],
      features: sortedCodes(policy.features).map((code) => unknownFeature(code, policy)),
      decidedAt: now,
    };
  }
  if (seen.kind === 'refused') {
    const refused = denied(seen.code, seen.verifiedAt);
    return {
      device: refused,
      licenses: [],
      features: sortedCodes(policy.features).map((code) => ({ ...refused, code, licenseId: null })),
      decidedAt: now,
    };
  }

  const counted = seen.licenses.filter(
    (license) => (policy.product ?? null) === null || license.productCode === policy.product,
  );
  const machine = policy.machine ?? 'unknown';
  const licenses = counted.map((license) => decideLicense(license, now, seen.verifiedAt, machine));
  const candidates = new Map<string, FeatureDecision[]>();
  counted.forEach((license, index) => {
    const licenseDecision = licenses[index];
    if (licenseDecision === undefined) return;
    for (const feature of license.features) {
      const check = observations.featureChecks.get(featureCheckKey(license.id, feature.code));
      const decision = decideFeature(license, licenseDecision, feature, check, now);
      candidates.set(feature.code, [...(candidates.get(feature.code) ?? []), decision]);
    }
  });

  const codes = sortedCodes([...candidates.keys(), ...policy.features]);
  const features = codes.map(
    (code): FeatureDecision =>
      best(candidates.get(code) ?? []) ?? {
        ...notLicensed(seen.verifiedAt),
        code,
        licenseId: null,
      },
  );
  const anyAllowed = licenses.some((l) => l.allowed);
  return {
    device: anyAllowed
      ? { ...activeDecision(seen.verifiedAt), expiresAt: null }
      : notLicensed(seen.verifiedAt),
    licenses,
    features,
    decidedAt: now,
  };
}

/** The decision for one feature code, including codes the agent has never heard of. */
export function featureDecision(
  decisions: Decisions,
  code: string,
  policy: Pick<DecisionPolicy, 'whenUnknown'> = {},
): FeatureDecision {
  const found = decisions.features.find((f) => f.code === code);
  if (found !== undefined) return found;
  if (decisions.device.state === 'unknown') return unknownFeature(code, policy);
  if (decisions.device.state === 'denied') return { ...decisions.device, code, licenseId: null };
  return { ...notLicensed(decisions.device.lastVerifiedAt), code, licenseId: null };
}

function decideLicense(
  license: License,
  now: Instant,
  verifiedAt: Instant,
  machine: MachineKind,
): LicenseDecision {
  const about = {
    licenseId: license.id,
    productCode: license.productCode,
    type: license.type,
    trial: license.trial,
    features: license.features.map((f) => f.code),
  };
  if (!license.enabled) return { ...about, ...denied('license_disabled', verifiedAt) };
  if (!license.active) return { ...about, ...denied('license_not_active', verifiedAt) };
  if (license.preventVm && machine !== 'physical')
    return { ...about, ...denied('vm_not_allowed', verifiedAt) };
  // A server that calls the licence expired is believed even when the dates disagree.
  const validUntil = license.expired
    ? Math.min(license.validUntil ?? verifiedAt, verifiedAt)
    : license.validUntil;
  if (validUntil === null || now < validUntil) {
    return { ...about, ...activeDecision(verifiedAt), expiresAt: validUntil };
  }
  const graceEndsAt = validUntil + license.graceHours * HOUR;
  if (now < graceEndsAt) {
    return {
      ...about,
      allowed: true,
      state: 'grace',
      reason: 'license_grace_period',
      expiresAt: graceEndsAt,
      graceEndsAt,
      lastVerifiedAt: verifiedAt,
    };
  }
  return { ...about, ...expired('license_expired', validUntil, verifiedAt) };
}

function decideFeature(
  license: License,
  licenseDecision: LicenseDecision,
  feature: LicenseFeature,
  check: FeatureCheckObservation | undefined,
  now: Instant,
): FeatureDecision {
  const about = { code: feature.code, licenseId: license.id };
  const verifiedAt = Math.max(licenseDecision.lastVerifiedAt ?? 0, check?.verifiedAt ?? 0);
  if (!licenseDecision.allowed) return { ...licenseDecision, ...about };
  if (check?.kind === 'refused') return { ...about, ...denied(check.code, check.verifiedAt) };
  const featureEnds = check?.kind === 'granted' ? check.grant.expiresAt : feature.expiresAt;
  if (featureEnds !== null && now >= featureEnds) {
    return { ...about, ...expired('feature_expired', featureEnds, verifiedAt) };
  }
  return {
    ...licenseDecision,
    ...about,
    expiresAt: earliest(licenseDecision.expiresAt, featureEnds),
    lastVerifiedAt: verifiedAt,
  };
}

/** Among the licences carrying one feature, an allowing one wins, the longest-lasting first. */
function best(decisions: readonly FeatureDecision[]): FeatureDecision | undefined {
  return [...decisions].sort((a, b) => {
    if (a.allowed !== b.allowed) return a.allowed ? -1 : 1;
    return (b.expiresAt ?? Infinity) - (a.expiresAt ?? Infinity);
  })[0];
}

function earliest(a: Instant | null, b: Instant | null): Instant | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function sortedCodes(codes: readonly string[]): string[] {
  return [...new Set(codes)].sort();
}

/**
 * A feature the agent cannot decide on. Fail-closed denies; fail-open allows. Either way the state
 * stays `unknown` and the answer names the policy that decided, so nobody mistakes it for a licence.
 */
function unknownFeature(
  code: string,
  policy: Pick<DecisionPolicy, 'whenUnknown'>,
): FeatureDecision {
  const applied =
    policy.whenUnknown?.features[code] ?? policy.whenUnknown?.default ?? 'fail-closed';
  return {
    ...unknownDecision(),
    allowed: applied === 'fail-open',
    code,
    licenseId: null,
    policy: applied,
  };
}

function unknownDecision(): Decision {
  return {
    allowed: false,
    state: 'unknown',
    reason: 'no_genuine_answer',
    expiresAt: null,
    graceEndsAt: null,
    lastVerifiedAt: null,
  };
}

function activeDecision(verifiedAt: Instant): Decision {
  return {
    allowed: true,
    state: 'active',
    reason: 'licensed',
    expiresAt: null,
    graceEndsAt: null,
    lastVerifiedAt: verifiedAt,
  };
}

function denied(reason: DecisionReason, verifiedAt: Instant | null): Decision {
  return {
    allowed: false,
    state: 'denied',
    reason,
    expiresAt: null,
    graceEndsAt: null,
    lastVerifiedAt: verifiedAt,
  };
}

function notLicensed(verifiedAt: Instant | null): Decision {
  return denied('not_licensed', verifiedAt);
}

function expired(reason: DecisionReason, at: Instant, verifiedAt: Instant): Decision {
  return {
    allowed: false,
    state: 'expired',
    reason,
    expiresAt: at,
    graceEndsAt: null,
    lastVerifiedAt: verifiedAt,
  };
}
