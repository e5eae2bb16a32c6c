import { Gauge, type Registry } from 'prom-client';
import type { Decision, Decisions, DecisionState } from '../../domain/decision.js';
import { absentUntilSet, clear } from './absent-gauge.js';
import { DECISION_STATES, toSeconds } from './labels.js';

const PREFIX = 'license_agent_';

/**
 * The agent's decisions as gauges: the device as a whole and how many licences and features are
 * in each state always; with `detail`, a series set per licence (id and product short code) and
 * per feature code, bounded by what the device holds. The licence key is never a label.
 */
export function createDecisionMetrics(
  registry: Registry,
  detail: boolean,
): (decisions: Decisions) => void {
  const registers = [registry];
  const deviceState = new Gauge({
    name: `${PREFIX}device_state`,
    help: 'Decision for the device as a whole: 1 for the current state, 0 for the others.',
    labelNames: ['state'],
    registers,
  });
  const licenseCount = new Gauge({
    name: `${PREFIX}licenses`,
    help: "How many of the device's licences are in each state.",
    labelNames: ['state'],
    registers,
  });
  const featureCount = new Gauge({
    name: `${PREFIX}features`,
    help: 'How many features (carried by a licence or configured) are in each state.',
    labelNames: ['state'],
    registers,
  });
  const nextExpiry = absentUntilSet(
    new Gauge({
      name: `${PREFIX}next_license_expiry_timestamp_seconds`,
      help: 'The earliest instant a licence that allows use stops allowing it if nothing changes. Absent when none expires.',
      registers,
    }),
  );
  const summary = (decisions: Decisions): void => {
    clear(nextExpiry);
    setStates(decisions.device, (state, value) => {
      deviceState.set({ state }, value);
    });
    countStates(decisions.licenses, (state, count) => {
      licenseCount.set({ state }, count);
    });
    countStates(decisions.features, (state, count) => {
      featureCount.set({ state }, count);
    });
    const expiries = decisions.licenses
      .filter((license) => license.allowed && license.expiresAt !== null)
      .map((license) => license.expiresAt ?? Infinity);
    if (expiries.length > 0) nextExpiry.set(toSeconds(Math.min(...expiries)));
  };
  if (!detail) return summary;

  const licenseActive = new Gauge({
    name: `${PREFIX}license_active`,
    help: 'Whether the licence currently allows use (active or in grace): 1 or 0.',
    labelNames: ['license_id', 'product'],
    registers,
  });
  const licenseState = new Gauge({
    name: `${PREFIX}license_state`,
    help: 'Decision for each licence: 1 for the current state, 0 for the others.',
    labelNames: ['license_id', 'product', 'state'],
    registers,
  });
  const licenseExpiry = new Gauge({
    name: `${PREFIX}license_expiry_timestamp_seconds`,
    help: 'When the licence stops allowing use if nothing changes (end of grace while in grace). Absent when it does not expire.',
    labelNames: ['license_id', 'product'],
    registers,
  });
  const featureAllowed = new Gauge({
    name: `${PREFIX}feature_allowed`,
    help: 'Whether the feature is currently allowed: 1 or 0.',
    labelNames: ['feature'],
    registers,
  });
  const featureState = new Gauge({
    name: `${PREFIX}feature_state`,
    help: 'Decision for each feature: 1 for the current state, 0 for the others.',
    labelNames: ['feature', 'state'],
    registers,
  });
  const featureExpiry = new Gauge({
    name: `${PREFIX}feature_expiry_timestamp_seconds`,
    help: 'When the feature stops being allowed if nothing changes. Absent when it does not expire.',
    labelNames: ['feature'],
    registers,
  });

  return (decisions) => {
    // Rebuilt from scratch each time so a licence or feature that disappeared leaves no series.
    // Synchronous, so a scrape never observes the gap between reset and set.
    summary(decisions);
    for (const gauge of [
      licenseActive,
      licenseState,
      licenseExpiry,
      featureAllowed,
      featureState,
      featureExpiry,
    ]) {
      gauge.reset();
    }
    for (const license of decisions.licenses) {
      const labels = { license_id: String(license.licenseId), product: license.productCode };
      licenseActive.set(labels, license.allowed ? 1 : 0);
      setStates(license, (state, value) => {
        licenseState.set({ ...labels, state }, value);
      });
      if (license.expiresAt !== null) licenseExpiry.set(labels, toSeconds(license.expiresAt));
    }
    for (const feature of decisions.features) {
      const labels = { feature: feature.code };
      featureAllowed.set(labels, feature.allowed ? 1 : 0);
      setStates(feature, (state, value) => {
        featureState.set({ ...labels, state }, value);
      });
      if (feature.expiresAt !== null) featureExpiry.set(labels, toSeconds(feature.expiresAt));
    }
  };
}

/** The Prometheus "enum" pattern: every state is a series, only the current one is 1. */
function setStates(decision: Decision, set: (state: string, value: number) => void): void {
  for (const state of DECISION_STATES) set(state, state === decision.state ? 1 : 0);
}

function countStates(
  decisions: readonly Decision[],
  set: (state: DecisionState, count: number) => void,
): void {
  for (const state of DECISION_STATES) {
    set(state, decisions.filter((decision) => decision.state === state).length);
  }
}
