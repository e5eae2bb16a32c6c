import type { DecisionState, FeatureDecision } from '../../domain/decision.js';

/**
 * OpenFeature resolution reasons the agent answers with. The provider's own enum lists only
 * STATIC, TARGETING_MATCH, SPLIT, DISABLED and UNKNOWN, but it passes `reason` through as text,
 * and DEFAULT and STALE are standard OpenFeature reasons that say what the agent means.
 */
export type OfrepReason = 'STATIC' | 'STALE' | 'DISABLED' | 'DEFAULT';

export type OfrepErrorCode = 'FLAG_NOT_FOUND' | 'PARSE_ERROR' | 'INVALID_CONTEXT' | 'GENERAL';

/** OFREP metadata values are primitives; the provider drops anything else. */
export type OfrepMetadata = Readonly<Record<string, string | number | boolean>>;

export interface OfrepSuccess {
  readonly key: string;
  readonly value: boolean;
  readonly reason: OfrepReason;
  readonly variant: 'on' | 'off';
  readonly metadata: OfrepMetadata;
}

export interface OfrepFailure {
  readonly key: string;
  readonly errorCode: OfrepErrorCode;
  readonly errorDetails: string;
}

/** The HTTP statuses the OFREP specification gives each error code (the provider accepts these). */
const statusOf: Readonly<Record<OfrepErrorCode, 400 | 404 | 500>> = {
  FLAG_NOT_FOUND: 404,
  PARSE_ERROR: 400,
  INVALID_CONTEXT: 400,
  GENERAL: 500,
};

export type OfrepAnswer =
  | { readonly status: 200; readonly body: OfrepSuccess }
  | { readonly status: 400 | 404 | 500; readonly body: OfrepFailure };

/**
 * The one place a licence decision becomes an OFREP evaluation. A feature is a boolean flag whose
 * value is `allowed`, whatever the policy or state that produced it; `null` is a feature the
 * device has never had, which OFREP calls `FLAG_NOT_FOUND`.
 *
 * | state, reason               | OFREP reason | why                                                    |
 * | --------------------------- | ------------ | ------------------------------------------------------ |
 * | active                      | STATIC       | the server's answer; the request context plays no part |
 * | grace, license_grace_period | STATIC       | the server's answer: the licence's own grace period    |
 * | grace, offline_grace        | STALE        | the last genuine answer, kept while the server is away |
 * | expired, denied (any)       | DISABLED     | the licence turns the feature off on this device       |
 * | unknown                     | DEFAULT      | no answer yet: the configured fail policy decided      |
 */
export function ofrepEvaluation(key: string, decision: FeatureDecision | null): OfrepAnswer {
  if (decision === null) {
    return ofrepFailure(key, 'FLAG_NOT_FOUND', 'no licence of this device carries this feature');
  }
  return {
    status: 200,
    body: {
      key,
      value: decision.allowed,
      reason: reasonOf(decision),
      variant: decision.allowed ? 'on' : 'off',
      metadata: metadataOf(decision),
    },
  };
}

export function ofrepFailure(key: string, code: OfrepErrorCode, details: string): OfrepAnswer {
  return { status: statusOf[code], body: { key, errorCode: code, errorDetails: details } };
}

function reasonOf(decision: FeatureDecision): OfrepReason {
  const state: DecisionState = decision.state;
  switch (state) {
    case 'active':
      return 'STATIC';
    case 'grace':
      return decision.reason === 'offline_grace' ? 'STALE' : 'STATIC';
    case 'expired':
    case 'denied':
      return 'DISABLED';
    case 'unknown':
      return 'DEFAULT';
    default: {
      const unhandled: never = state;
      throw new Error(`unhandled decision state: ${String(unhandled)}`);
    }
  }
}

/** The agent's own words, as the local API gives them: instants in ISO 8601 UTC; nulls left out. */
function metadataOf(decision: FeatureDecision): OfrepMetadata {
  const metadata: Record<string, string | number | boolean> = {
    state: decision.state,
    reason: decision.reason,
  };
  const instants = {
    expiresAt: decision.expiresAt,
    graceEndsAt: decision.graceEndsAt,
    lastVerifiedAt: decision.lastVerifiedAt,
  };
  for (const [name, at] of Object.entries(instants)) {
    if (at !== null && Number.isFinite(at)) metadata[name] = new Date(at).toISOString();
  }
  if (decision.licenseId !== null) metadata.licenseId = decision.licenseId;
  if (decision.policy !== undefined) metadata.policy = decision.policy;
  return metadata;
}
