import type {
  Decision,
  Decisions,
  FeatureDecision,
  LicenseDecision,
} from '../../../src/domain/decision.js';

export const LICENSE_KEY_A = 'AAAA-BBBB-CCCC-WU13';
export const LICENSE_KEY_B = 'DDDD-EEEE-FFFF-ZX99';

const VERIFIED = Date.UTC(2025, 0, 1);

const active: Decision = {
  allowed: true,
  state: 'active',
  reason: 'licensed',
  expiresAt: null,
  graceEndsAt: null,
  lastVerifiedAt: VERIFIED,
};

export function licenseDecision(overrides: Partial<LicenseDecision> = {}): LicenseDecision {
  return {
    ...active,
    licenseId: 1001,
    productCode: 'edge',
    type: 'perpetual',
    trial: false,
    features: [],
    ...overrides,
  };
}

export function featureDecision(overrides: Partial<FeatureDecision> = {}): FeatureDecision {
  return { ...active, code: 'analytics', licenseId: 1001, ...overrides };
}

/** Two licences (one expiring, one in grace) and three features in different states. */
export function sampleDecisions(): Decisions {
  return {
    device: active,
    licenses: [
      licenseDecision({
        licenseId: 1001,
        productCode: 'edge',
        expiresAt: Date.UTC(2026, 0, 1),
        features: ['analytics', 'export'],
      }),
      licenseDecision({
        licenseId: 2002,
        productCode: 'vision',
        allowed: true,
        state: 'grace',
        reason: 'license_grace_period',
        expiresAt: Date.UTC(2025, 5, 1),
        graceEndsAt: Date.UTC(2025, 5, 1),
        features: ['detect'],
      }),
    ],
    features: [
      featureDecision({ code: 'analytics', licenseId: 1001 }),
      featureDecision({
        code: 'detect',
        licenseId: 2002,
        state: 'grace',
        reason: 'license_grace_period',
        expiresAt: Date.UTC(2025, 5, 1),
      }),
      featureDecision({
        code: 'export',
        licenseId: 1001,
        allowed: false,
        state: 'expired',
        reason: 'feature_expired',
        expiresAt: Date.UTC(2024, 11, 1),
      }),
    ],
    decidedAt: VERIFIED,
  };
}
