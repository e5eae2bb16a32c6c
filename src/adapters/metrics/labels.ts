import type { Endpoint, QuestionSurface, SyncResult } from '../../agent/ports.js';
import type { DecisionState } from '../../domain/decision.js';
import type { HardwareComponentName } from '../../domain/hardware-id.js';
import type { Instant } from '../../domain/time.js';

// Records keyed by the domain unions: adding a member to a union fails compilation here until the
// metric knows about it, so an "enum" gauge never silently misses a state.

const componentLabels: Readonly<Record<HardwareComponentName, string>> = {
  mac: 'mac',
  machineId: 'machine_id',
  dmiUuid: 'dmi_uuid',
};

const stateOrder: Readonly<Record<DecisionState, number>> = {
  active: 0,
  grace: 1,
  expired: 2,
  denied: 3,
  unknown: 4,
};

const syncResults: Readonly<Record<SyncResult, null>> = { ok: null, partial: null, failed: null };

const endpoints: Readonly<Record<Endpoint, null>> = {
  device_licenses: null,
  check_license_feature: null,
};

const surfaces: Readonly<Record<QuestionSurface, null>> = { api: null, ofrep: null };

export const HARDWARE_COMPONENTS = Object.keys(componentLabels) as readonly HardwareComponentName[];
export const DECISION_STATES = Object.keys(stateOrder) as readonly DecisionState[];
export const SYNC_RESULTS = Object.keys(syncResults) as readonly SyncResult[];
export const ENDPOINTS = Object.keys(endpoints) as readonly Endpoint[];
export const QUESTION_SURFACES = Object.keys(surfaces) as readonly QuestionSurface[];

/** Label values are snake_case like the rest of the exposition. */
export function componentLabel(name: HardwareComponentName): string {
  return componentLabels[name];
}

/** Prometheus timestamps are seconds since the epoch, as a float. */
export function toSeconds(at: Instant): number {
  return at / 1000;
}
