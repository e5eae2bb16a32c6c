import { decide, type Decision, type DecisionPolicy, type Decisions } from './decision.js';
import { trustedNow, type AgentState, type GraceSettings } from './grace.js';
import type { Instant } from './time.js';

export interface GracefulDecisions {
  readonly decisions: Decisions;
  /** The next instant at which a decision changes by itself (an expiry, a grace end). */
  readonly nextChangeAt: Instant;
}

/**
 * Decisions as of `now`, measured in trusted time and with the offline grace applied: while
 * nothing genuine comes back, what was allowed stays allowed (as `grace`) until the grace ends,
 * then it is denied as `offline_grace_expired`. Definite refusals are already denials, and grace
 * never covers them.
 */
export function decideWithGrace(
  state: AgentState,
  now: Instant,
  policy: DecisionPolicy & Pick<GraceSettings, 'offlineGraceMs'>,
): GracefulDecisions {
  const at = trustedNow(state.trust, now);
  const base = decide(state.observations, at, policy);
  const { lastGenuineAt, failingSince } = state.trust;
  if (lastGenuineAt === null) return { decisions: base, nextChangeAt: nextChange(base, at) };

  const graceEndsAt = lastGenuineAt + policy.offlineGraceMs;
  const overlay = <D extends Decision>(d: D): D => {
    if (!d.allowed) return d;
    if (at >= graceEndsAt) {
      return {
        ...d,
        allowed: false,
        state: 'expired',
        reason: 'offline_grace_expired',
        expiresAt: graceEndsAt,
        graceEndsAt,
      };
    }
    if (failingSince === null) return d;
    return {
      ...d,
      state: 'grace',
      // A licence already in its own grace period says so; the earlier end applies either way.
      reason: d.state === 'grace' ? d.reason : 'offline_grace',
      graceEndsAt: Math.min(d.graceEndsAt ?? Infinity, graceEndsAt),
      expiresAt: Math.min(d.expiresAt ?? Infinity, graceEndsAt),
    };
  };
  const decisions: Decisions = {
    device: overlay(base.device),
    licenses: base.licenses.map(overlay),
    features: base.features.map(overlay),
    decidedAt: at,
  };
  const graceChange = at < graceEndsAt ? graceEndsAt : Infinity;
  return { decisions, nextChangeAt: Math.min(nextChange(base, at), graceChange) };
}

function nextChange(decisions: Decisions, now: Instant): Instant {
  let next = Infinity;
  for (const d of [decisions.device, ...decisions.licenses, ...decisions.features]) {
    for (const at of [d.expiresAt, d.graceEndsAt]) {
      if (at !== null && at > now && at < next) next = at;
    }
  }
  return next;
}
