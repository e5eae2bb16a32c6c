import type { FeatureDecision, WhenUnknown } from './decision.js';
import type { LemLicenseFeature } from './lem.js';
import type { Instant } from './time.js';

/** Questions in this namespace are answered from LEM's licence features, not LicenseSpring. */
export const LEM_FEATURE_PREFIX = 'lem:';

/** Why a `lem:` question is answered as it is. */
export type LemDecisionReason =
  | 'lem_licensed'
  | 'lem_feature_disabled'
  | 'lem_feature_expired'
  | 'lem_feature_unknown'
  | 'no_lem_answer';

export function isLemFeatureCode(code: string): boolean {
  return code.startsWith(LEM_FEATURE_PREFIX) && code.length > LEM_FEATURE_PREFIX.length;
}

/** LEM's licence features as last genuinely read, and when. */
export interface LemFeatureAnswer {
  readonly features: readonly LemLicenseFeature[];
  readonly verifiedAt: Instant;
}

/**
 * The decision for `lem:<name>`: allowed while LEM's licence lists the feature enabled and its
 * expiry has not passed by trusted time. Until LEM has answered at all, the fail policy for the
 * full code (`policy.whenUnknown`) decides, as for a LicenseSpring feature, and says so.
 */
export function decideLemFeature(
  code: string,
  answer: LemFeatureAnswer | null,
  now: Instant,
  whenUnknown: WhenUnknown,
): FeatureDecision {
  const base = { code, licenseId: null, graceEndsAt: null } as const;
  if (answer === null) {
    const policy = whenUnknown.features[code] ?? whenUnknown.default;
    return {
      ...base,
      allowed: policy === 'fail-open',
      state: 'unknown',
      reason: 'no_lem_answer',
      expiresAt: null,
      lastVerifiedAt: null,
      policy,
    };
  }
  const lastVerifiedAt = answer.verifiedAt;
  const name = code.slice(LEM_FEATURE_PREFIX.length);
  const feature = answer.features.find((f) => f.name === name);
  if (feature === undefined) {
    return {
      ...base,
      allowed: false,
      state: 'denied',
      reason: 'lem_feature_unknown',
      expiresAt: null,
      lastVerifiedAt,
    };
  }
  if (!feature.enabled) {
    return {
      ...base,
      allowed: false,
      state: 'denied',
      reason: 'lem_feature_disabled',
      expiresAt: feature.expiresAt,
      lastVerifiedAt,
    };
  }
  if (feature.expiresAt !== null && now >= feature.expiresAt) {
    return {
      ...base,
      allowed: false,
      state: 'expired',
      reason: 'lem_feature_expired',
      expiresAt: feature.expiresAt,
      lastVerifiedAt,
    };
  }
  return {
    ...base,
    allowed: true,
    state: 'active',
    reason: 'lem_licensed',
    expiresAt: feature.expiresAt,
    lastVerifiedAt,
  };
}

/** Every feature LEM's licence lists, decided, sorted by code; empty before LEM's first answer. */
export function decideLemFeatures(
  answer: LemFeatureAnswer | null,
  now: Instant,
  whenUnknown: WhenUnknown,
): { readonly features: readonly FeatureDecision[]; readonly nextChangeAt: Instant } {
  if (answer === null) return { features: [], nextChangeAt: Infinity };
  const codes = [...new Set(answer.features.map((f) => `${LEM_FEATURE_PREFIX}${f.name}`))].sort();
  const features = codes.map((code) => decideLemFeature(code, answer, now, whenUnknown));
  const upcoming = answer.features
    .map((f) => f.expiresAt)
    .filter((at): at is Instant => at !== null && at > now);
  return { features, nextChangeAt: Math.min(Infinity, ...upcoming) };
}
