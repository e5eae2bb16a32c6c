import type { AgentState } from '../domain/grace.js';
import {
  featureCheckKey,
  type FeatureCheckObservation,
  type LicensesObservation,
} from '../domain/observations.js';
import type { Instant } from '../domain/time.js';
import type { TrustTimeline } from '../domain/trust-timeline.js';
import type {
  EvidenceReader,
  RereadFailure,
  SavedAnswer,
  SavedFeatureCheck,
  SavedState,
} from './state-ports.js';

/**
 * The state as it goes to disk: the evidence of each genuine answer, never the parsed licences;
 * and the boot its timeline's monotonic reading belongs to.
 */
export function toSavedState(
  state: AgentState,
  hardwareId: string,
  now: Instant,
  bootId: string | null,
): SavedState {
  const licenses = state.observations.licenses;
  const featureChecks: SavedFeatureCheck[] = [];
  for (const [key, check] of state.observations.featureChecks) {
    const licenseId = check.kind === 'granted' ? check.grant.licenseId : Number(key.split(':')[0]);
    const code = key.slice(key.indexOf(':') + 1);
    featureChecks.push({ licenseId, code, answer: savedCheck(check) });
  }
  return {
    hardwareId,
    deviceLicenses: licenses === null ? null : savedLicenses(licenses),
    featureChecks,
    trust: state.trust,
    bootId,
    savedAt: now,
  };
}

/**
 * The saved timeline as this process may carry it on. Within the boot that saved it, the
 * monotonic clock has run on since (it counts from boot, for every process), so the time that
 * passed while the agent was down is known whatever the wall clock says. On another boot, or when
 * either boot is unknown, the reading measures nothing: the saved instant is only a floor.
 */
export function continueTimeline(
  trust: TrustTimeline,
  saved: { readonly bootId: string | null },
  now: { readonly bootId: string | null; readonly monotonic: number },
): TrustTimeline {
  const sameBoot =
    saved.bootId !== null &&
    saved.bootId === now.bootId &&
    trust.highestMonotonic !== null &&
    now.monotonic >= trust.highestMonotonic;
  return sameBoot || trust.highestMonotonic === null ? trust : { ...trust, highestMonotonic: null };
}

/**
 * The state back from disk, believed only as far as its evidence verifies again: one answer that
 * fails refuses the whole file, because a file with one forged part cannot vouch for the rest.
 */
export function fromSavedState(
  saved: SavedState,
  reader: EvidenceReader,
): { ok: true; state: AgentState } | { ok: false; reason: RereadFailure; detail: string } {
  let licenses: LicensesObservation | null = null;
  const answer = saved.deviceLicenses;
  if (answer?.kind === 'refused') {
    licenses = { kind: 'refused', code: answer.code, verifiedAt: answer.verifiedAt };
  } else if (answer?.kind === 'genuine') {
    const reread = reader.deviceLicenses(answer.evidence);
    if (!reread.ok) return { ok: false, reason: reread.reason, detail: 'device_licenses' };
    licenses = {
      kind: 'licenses',
      licenses: reread.value,
      verifiedAt: answer.verifiedAt,
      evidence: answer.evidence,
    };
  }
  const featureChecks = new Map<string, FeatureCheckObservation>();
  for (const check of saved.featureChecks) {
    const key = featureCheckKey(check.licenseId, check.code);
    if (check.answer.kind === 'refused') {
      featureChecks.set(key, { ...check.answer });
      continue;
    }
    const reread = reader.featureCheck(check.answer.evidence);
    if (!reread.ok) return { ok: false, reason: reread.reason, detail: `feature ${check.code}` };
    // The evidence must be about the feature it is filed under, or it could be moved to another.
    if (reread.value.licenseId !== check.licenseId || reread.value.code !== check.code) {
      return { ok: false, reason: 'wrong_shape', detail: `feature ${check.code}` };
    }
    featureChecks.set(key, {
      kind: 'granted',
      grant: reread.value,
      verifiedAt: check.answer.verifiedAt,
      evidence: check.answer.evidence,
    });
  }
  return { ok: true, state: { observations: { licenses, featureChecks }, trust: saved.trust } };
}

function savedLicenses(observation: LicensesObservation): SavedAnswer {
  return observation.kind === 'licenses'
    ? { kind: 'genuine', evidence: observation.evidence, verifiedAt: observation.verifiedAt }
    : { kind: 'refused', code: observation.code, verifiedAt: observation.verifiedAt };
}

function savedCheck(check: FeatureCheckObservation): SavedAnswer {
  return check.kind === 'granted'
    ? { kind: 'genuine', evidence: check.evidence, verifiedAt: check.verifiedAt }
    : { kind: 'refused', code: check.code, verifiedAt: check.verifiedAt };
}
