import type { AgentStatus } from '../../agent/agent-view.js';
import type { Decision, FeatureDecision, LicenseDecision } from '../../domain/decision.js';
import { outcomeLabel } from '../../domain/upstream-outcome.js';
import { presentLem } from './present-lem.js';

/** Instants leave the agent as ISO 8601 UTC text; nulls stay null. */
function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

function presentDecision(d: Decision) {
  return {
    allowed: d.allowed,
    state: d.state,
    reason: d.reason,
    expiresAt: iso(d.expiresAt),
    graceEndsAt: iso(d.graceEndsAt),
    lastVerifiedAt: iso(d.lastVerifiedAt),
  };
}

export function presentFeature(d: FeatureDecision) {
  const answer = { code: d.code, ...presentDecision(d), licenseId: d.licenseId };
  return d.policy === undefined ? answer : { ...answer, policy: d.policy };
}

export function presentLicense(d: LicenseDecision) {
  return {
    licenseId: d.licenseId,
    product: d.productCode,
    type: d.type,
    trial: d.trial,
    ...presentDecision(d),
    features: d.features,
  };
}

export function presentStatus(status: AgentStatus) {
  const last = status.sync.last;
  return {
    version: status.version,
    ready: status.ready,
    device: { ...status.device, ...presentDecision(status.decisions.device) },
    upstream: status.upstream,
    sync: {
      schedule: status.sync.schedule,
      splaySeconds: status.sync.splaySeconds,
      next:
        status.sync.next === null
          ? null
          : {
              at: iso(status.sync.next.at),
              reason: status.sync.next.reason,
              boundary:
                status.sync.next.boundary === null
                  ? null
                  : { kind: status.sync.next.boundary.kind, at: iso(status.sync.next.boundary.at) },
            },
      running: status.sync.running,
      last:
        last === null
          ? null
          : {
              result: last.result,
              finishedAt: iso(last.finishedAt),
              deviceLicenses: outcomeLabel(last.deviceLicenses),
              featureChecks: last.featureChecks.map((c) => ({
                licenseId: c.licenseId,
                feature: c.feature,
                outcome: outcomeLabel(c.outcome),
              })),
            },
    },
    offline: presentOffline(status.offline),
    stateSave: {
      lastOkAt: iso(status.stateSave.lastOkAt),
      lastError:
        status.stateSave.lastError === null
          ? null
          : { at: iso(status.stateSave.lastError.at), code: status.stateSave.lastError.code },
    },
    stateFile: status.stateFile,
    decidedAt: iso(status.decisions.decidedAt),
    licenses: status.decisions.licenses.map(presentLicense),
    features: status.decisions.features.map(presentFeature),
    ...(status.lem === undefined ? {} : { lem: presentLem(status.lem) }),
    ...(status.floating === undefined ? {} : { floating: presentFloating(status.floating) }),
    ...(status.activation === undefined
      ? {}
      : { activation: status.activation.map(presentActivation) }),
  };
}

function presentActivation(view: NonNullable<AgentStatus['activation']>[number]) {
  const { state } = view;
  return {
    product: view.product,
    keyHint: view.keyHint,
    state: state.kind,
    ...('at' in state ? { at: iso(state.at) } : {}),
    ...(state.kind === 'refused' ? { code: state.code, fix: state.fix } : {}),
    ...(state.kind === 'failed' ? { outcome: state.outcome } : {}),
  };
}

function presentFloating(floating: NonNullable<AgentStatus['floating']>) {
  return {
    seats: floating.seats.map((seat) => ({
      feature: seat.feature,
      licenseId: seat.licenseId,
      state: seat.state,
      heldSince: iso(seat.heldSince),
      timeoutMinutes: seat.timeoutMinutes,
      lastUsedAt: iso(seat.lastUsedAt),
      nextReconfirmAt: iso(seat.nextReconfirmAt),
    })),
  };
}

function presentOffline(offline: AgentStatus['offline']) {
  const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
  return {
    failing: offline.failing,
    lastFailure: offline.lastFailure,
    lastGenuineAt: iso(offline.lastGenuineAt),
    graceEndsAt: iso(offline.graceEndsAt),
    graceRemainingSeconds:
      offline.graceEndsAt === null
        ? null
        : Math.max(0, (offline.graceEndsAt - offline.trustedNow) / 1000),
    clockRollbacks: offline.clockRollbacks,
    clockBehindSeconds: seconds(offline.clockBehindMs),
    serverSkewSeconds: seconds(offline.serverSkewMs),
  };
}
