import type { AgentStatus } from '../../../../src/agent/agent-view.js';
import type { FeatureDecision, LicenseDecision } from '../../../../src/domain/decision.js';

/** Fixed instants: every countdown on the page is counted from NOW. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function license(over: Partial<LicenseDecision> = {}): LicenseDecision {
  return {
    licenseId: 1700000000000101,
    productCode: 'edge-suite',
    type: 'subscription',
    trial: false,
    features: ['reporting'],
    allowed: true,
    state: 'active',
    reason: 'licensed',
    expiresAt: NOW + 30 * DAY,
    graceEndsAt: null,
    lastVerifiedAt: NOW - 5 * 60_000,
    ...over,
  };
}

export function feature(over: Partial<FeatureDecision> = {}): FeatureDecision {
  return {
    code: 'reporting',
    licenseId: 1700000000000101,
    allowed: true,
    state: 'active',
    reason: 'licensed',
    expiresAt: NOW + 30 * DAY,
    graceEndsAt: null,
    lastVerifiedAt: NOW - 5 * 60_000,
    ...over,
  };
}

/** An agent that synced five minutes ago and now cannot reach its server. */
export function agentStatus(over: Partial<AgentStatus> = {}): AgentStatus {
  return {
    version: '1.2.3',
    ready: true,
    device: {
      hardwareId: 'device-0001',
      source: 'composed',
      changedComponents: [],
      machine: { kind: 'physical', basis: ['systeminformation: not virtual'], overridden: false },
    },
    upstream: { kind: 'licensespring', baseUrl: 'https://api.licensespring.com/api/v4/' },
    sync: {
      schedule: '0 */6 * * *',
      splaySeconds: 90,
      next: { at: Date.parse('2026-03-01T18:01:30.000Z'), reason: 'steady', boundary: null },
      running: false,
      last: {
        result: 'failed',
        finishedAt: NOW - 5 * 60_000,
        deviceLicenses: { kind: 'unreachable', cause: 'timeout', status: null, retryAfterMs: null },
        featureChecks: [],
        calls: 1,
        rateLimited: null,
      },
    },
    offline: {
      trustedNow: NOW,
      lastGenuineAt: NOW - 2 * DAY,
      graceEndsAt: NOW + 26 * HOUR,
      failing: true,
      timeCorrections: 0,
      clockRollbacks: 0,
      serverSkewMs: 400,
      lastFailure: 'timeout',
      clockBehindMs: null,
    },
    stateSave: { lastOkAt: NOW - 2 * DAY, lastError: null },
    stateFile: 'restored',
    decisions: {
      device: {
        allowed: true,
        state: 'grace',
        reason: 'offline_grace',
        expiresAt: null,
        graceEndsAt: NOW + 26 * HOUR,
        lastVerifiedAt: NOW - 2 * DAY,
      },
      licenses: [license()],
      features: [feature()],
      decidedAt: NOW,
    },
    ...over,
  };
}
