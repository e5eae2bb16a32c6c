import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  createMetrics,
  type MetricsProfile,
} from '../../../src/adapters/metrics/create-metrics.js';
import type { Endpoint, QuestionSurface, SyncResult } from '../../../src/agent/ports.js';
import type { StateLoadFailure } from '../../../src/agent/state-ports.js';
import type { RejectionCode } from '../../../src/domain/refusal.js';
import type { NotGenuineReason, UnreachableCause } from '../../../src/domain/upstream-outcome.js';
import { metricTypes, parseSamples, seriesOf, valueOf } from './exposition.js';

// The test's own enumeration of every label value, held to the domain's unions by the compiler:
// a member added there fails compilation here until it is listed, and the metrics must then have
// its series at zero.
const unreachable: Record<UnreachableCause, true> = {
  connection_refused: true,
  connection_reset: true,
  dns: true,
  timeout: true,
  server_error: true,
  rate_limited: true,
  network: true,
  tls: true,
  proxy: true,
};
const notGenuine: Record<NotGenuineReason, true> = {
  missing_signature: true,
  bad_signature: true,
  malformed_json: true,
  wrong_shape: true,
  foreign_answer: true,
  stale_answer: true,
  untimely_answer: true,
  unrecognised_error: true,
};
const rejections: Record<RejectionCode, true> = {
  date_header_diff: true,
  signature_mismatch: true,
  hmac_required: true,
  authorization_invalid_headers: true,
  missing_headers: true,
  unauthorized: true,
  forbidden: true,
};
const stateLoadFailures: Record<StateLoadFailure, true> = {
  unreadable: true,
  corrupt: true,
  unsupported_version: true,
  foreign: true,
  tampered: true,
  bad_signature: true,
  wrong_shape: true,
};
const syncResults: Record<SyncResult, true> = { ok: true, partial: true, failed: true };
const endpoints: Record<Endpoint, true> = { device_licenses: true, check_license_feature: true };
const surfaces: Record<QuestionSurface, true> = { api: true, ofrep: true };

const names = <K extends string>(record: Record<K, true>) => Object.keys(record) as K[];
const CAUSES = [...names(unreachable), ...names(notGenuine), ...names(rejections)];
const OUTCOMES = ['genuine', 'refused', 'rejected', ...names(unreachable), ...names(notGenuine)];

/** Each counter family and the label sets it must show at zero before anything happened. */
function expectedAtStart(profile: MetricsProfile): Map<string, Record<string, string>[]> {
  const expected = new Map<string, Record<string, string>[]>([
    ['license_agent_upstream_failures_total', CAUSES.map((cause) => ({ cause }))],
    ['license_agent_sync_runs_total', names(syncResults).map((result) => ({ result }))],
    [
      'license_agent_state_load_failures_total',
      names(stateLoadFailures).map((reason) => ({ reason })),
    ],
    ['license_agent_state_save_failures_total', [{}]],
    ['license_agent_clock_rollbacks_total', [{}]],
    ['license_agent_trusted_time_corrections_total', [{}]],
    ['license_agent_feature_questions_total', names(surfaces).map((surface) => ({ surface }))],
    ['license_agent_feature_denials_total', names(surfaces).map((surface) => ({ surface }))],
  ]);
  if (profile === 'full') {
    expected.set(
      'license_agent_upstream_requests_total',
      names(endpoints).flatMap((endpoint) => OUTCOMES.map((outcome) => ({ endpoint, outcome }))),
    );
    expected.set('license_agent_feature_questions_by_feature_total', [{ feature: '(unlisted)' }]);
    expected.set('license_agent_feature_denials_by_feature_total', [{ feature: '(unlisted)' }]);
  }
  return expected;
}

async function freshExposition(profile: MetricsProfile) {
  const metrics = createMetrics(new Registry(), {
    version: '1',
    upstream: 'licensespring',
    profile,
  });
  const text = await metrics.render();
  return { metrics, text, samples: parseSamples(text) };
}

describe.each<MetricsProfile>(['full', 'lean'])('counters of the %s profile', (profile) => {
  it('start at zero for every label value the agent can report', async () => {
    const { samples } = await freshExposition(profile);
    for (const [name, labelSets] of expectedAtStart(profile)) {
      const series = seriesOf(samples, name);
      expect(
        series.map((s) => s.labels),
        name,
      ).toEqual(expect.arrayContaining(labelSets));
      expect(series, name).toHaveLength(labelSets.length);
      expect(
        series.filter((s) => s.value !== 0),
        name,
      ).toEqual([]);
    }
  });

  it('leave no agent counter without a series at start', async () => {
    const { text, samples } = await freshExposition(profile);
    const counters = [...metricTypes(text)]
      .filter(([name, type]) => type === 'counter' && name.startsWith('license_agent_'))
      .map(([name]) => name);
    expect(counters.sort()).toEqual([...expectedAtStart(profile).keys()].sort());
    for (const name of counters) expect(seriesOf(samples, name).length, name).toBeGreaterThan(0);
  });

  it.each(CAUSES)('count a first %s failure on the series that was at zero', async (cause) => {
    const { metrics } = await freshExposition(profile);
    const outcome = Object.hasOwn(unreachable, cause)
      ? {
          kind: 'unreachable' as const,
          cause: cause as UnreachableCause,
          status: null,
          retryAfterMs: null,
        }
      : Object.hasOwn(notGenuine, cause)
        ? { kind: 'not-genuine' as const, reason: cause as NotGenuineReason }
        : { kind: 'rejected' as const, code: cause as RejectionCode, status: 400, message: '' };
    metrics.upstreamAttempt('device_licenses', outcome, 0.1);
    const samples = parseSamples(await metrics.render());
    const failures = seriesOf(samples, 'license_agent_upstream_failures_total');
    expect(failures).toHaveLength(CAUSES.length);
    expect(failures.filter((s) => s.value !== 0)).toEqual([
      expect.objectContaining({ labels: { cause }, value: 1 }),
    ]);
    if (profile === 'full') {
      const outcomeLabel = outcome.kind === 'rejected' ? 'rejected' : cause;
      expect(seriesOf(samples, 'license_agent_upstream_requests_total')).toHaveLength(
        2 * OUTCOMES.length,
      );
      expect(
        valueOf(samples, 'license_agent_upstream_requests_total', {
          endpoint: 'device_licenses',
          outcome: outcomeLabel,
        }),
      ).toBe(1);
    }
  });
});
