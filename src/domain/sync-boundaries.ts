import type { Boundary } from './cadence.js';
import type { AgentState } from './grace.js';
import { HOUR, type Instant } from './time.js';

/**
 * The instants at which something this device relies on changes by itself, from what the server
 * last said: each licence's end (and the end of the vendor's grace after it), each feature's
 * expiry, and, while the server cannot be reached, the end of the offline grace. The cadence
 * syncs more often as the nearest approaches.
 */
export function syncBoundaries(state: AgentState, offlineGraceMs: number): Boundary[] {
  const boundaries: Boundary[] = [];
  const seen = state.observations.licenses;
  if (seen?.kind === 'licenses') {
    for (const license of seen.licenses) {
      if (!license.enabled || !license.active) continue;
      if (license.validUntil !== null) {
        boundaries.push(at(license.validUntil, 'license_expiry'));
        if (license.graceHours > 0)
          boundaries.push(at(license.validUntil + license.graceHours * HOUR, 'license_expiry'));
      }
      for (const feature of license.features) {
        if (feature.expiresAt !== null) boundaries.push(at(feature.expiresAt, 'feature_expiry'));
      }
    }
  }
  for (const check of state.observations.featureChecks.values()) {
    if (check.kind === 'granted' && check.grant.expiresAt !== null)
      boundaries.push(at(check.grant.expiresAt, 'feature_expiry'));
  }
  const { lastGenuineAt, failingSince } = state.trust;
  if (failingSince !== null && lastGenuineAt !== null)
    boundaries.push(at(lastGenuineAt + offlineGraceMs, 'grace_end'));
  return boundaries;
}

function at(instant: Instant, kind: Boundary['kind']): Boundary {
  return { at: instant, kind };
}
