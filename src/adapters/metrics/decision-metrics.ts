import { Gauge, type Registry } from 'prom-client';
import type { Decision, Decisions } from '../../domain/decision.js';
import { DECISION_STATES, toSeconds } from './labels.js';

const PREFIX = 'license_agent_';

/**
 * The agent's decisions as gauges. Labels are the licence id and product short code, and feature
 * codes: all bounded by what the device holds. The licence key is deliberately never a label.
 */
export function createDecisionMetrics(registry: Registry): (decisions: Decisions) => void {
  const registers = [registry];
  const deviceState = new Gauge({
    name: `${PREFIX}device_state`,
    help: 'Decision for the device as a whole: 1 for the current state, 0 for the others.',
    labelNames: ['state'],
    registers,
  });
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
    for (const gauge of [
      deviceState,
      licenseActive,
      licenseState,
      licenseExpiry,
      featureAllowed,
      featureState,
      featureExpiry,
    ]) {
      gauge.reset();
    }
    setStates(decisions.device, (state, value) => {
      deviceState.set({ state }, value);
    });
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
