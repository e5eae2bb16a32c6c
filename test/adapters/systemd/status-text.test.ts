import { describe, expect, it } from 'vitest';
import { statusText } from '../../../src/adapters/systemd/status-text.js';
import type { SyncReport } from '../../../src/agent/sync-cycle.js';
import type { Decisions } from '../../../src/domain/decision.js';
import { featureDecision, licenseDecision } from '../metrics/sample-decisions.js';

const AT_1203 = Date.UTC(2026, 11, 4, 12, 3, 41);

function decisions(): Decisions {
  const device = featureDecision();
  return {
    device,
    licenses: [
      licenseDecision(),
      licenseDecision({ licenseId: 2 }),
      licenseDecision({ licenseId: 3 }),
    ],
    features: [
      featureDecision({ code: 'a' }),
      featureDecision({ code: 'b', state: 'grace', reason: 'offline_grace' }),
      featureDecision({ code: 'c', state: 'grace', reason: 'license_grace_period' }),
      featureDecision({ code: 'd', allowed: false, state: 'denied', reason: 'not_licensed' }),
    ],
    decidedAt: AT_1203,
  };
}

const ok: SyncReport = {
  result: 'ok',
  deviceLicenses: { kind: 'refused', code: 'license_not_found', upstreamCode: null, status: 400 },
  featureChecks: [],
  calls: 1,
  rateLimited: null,
  finishedAt: AT_1203,
};

describe('the STATUS= line systemctl status shows', () => {
  it('counts licences and features by state and says when the last sync was, in UTC', () => {
    expect(statusText({ ready: true, decisions: decisions(), sync: { last: ok } })).toBe(
      '3 licences, 1 feature active, 2 features on grace, 1 feature denied, last sync 12:03 UTC',
    );
  });

  it('says why the last sync failed and that no answer has come yet', () => {
    const failed: SyncReport = {
      ...ok,
      result: 'failed',
      deviceLicenses: { kind: 'unreachable', cause: 'timeout', status: null, retryAfterMs: null },
    };
    const none = { ...decisions(), licenses: [], features: [] };
    expect(statusText({ ready: false, decisions: none, sync: { last: failed } })).toBe(
      '0 licences, 0 features active, last sync 12:03 UTC failed (timeout), no answer from the licence server yet',
    );
  });

  it('says so before the first sync', () => {
    expect(statusText({ ready: true, decisions: decisions(), sync: { last: null } })).toContain(
      'no sync yet',
    );
  });
});
