import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  createMetrics,
  type MetricsProfile,
} from '../../../src/adapters/metrics/create-metrics.js';
import type { Decisions } from '../../../src/domain/decision.js';
import { parseSamples, seriesOf, valueOf } from './exposition.js';
import { featureDecision, licenseDecision, sampleDecisions } from './sample-decisions.js';

async function exposition(profile: MetricsProfile, decisions: Decisions) {
  const metrics = createMetrics(new Registry(), {
    version: '1',
    hardwareId: 'hw-1',
    upstream: 'licensespring',
    profile,
  });
  metrics.decided(decisions);
  return parseSamples(await metrics.render());
}

/** The sample decisions with `extra` more licences and features, each in a state of its own. */
function biggerDevice(extra: number): Decisions {
  const sample = sampleDecisions();
  const ids = Array.from({ length: extra }, (_, i) => 3000 + i);
  return {
    ...sample,
    licenses: [
      ...sample.licenses,
      ...ids.map((id) => licenseDecision({ licenseId: id, productCode: `p${String(id)}` })),
    ],
    features: [
      ...sample.features,
      ...ids.map((id) => featureDecision({ code: `f${String(id)}`, licenseId: id })),
    ],
  };
}

describe('the lean profile', () => {
  it('exports as many series for a device with 20 more licences and features as without', async () => {
    const small = await exposition('lean', sampleDecisions());
    const big = await exposition('lean', biggerDevice(20));
    expect(big.length).toBe(small.length);
  });

  it('has no per-licence, per-feature or per-endpoint label', async () => {
    const samples = await exposition('lean', biggerDevice(2));
    const labels = new Set(samples.flatMap((s) => Object.keys(s.labels)));
    for (const label of ['license_id', 'product', 'feature', 'endpoint', 'le'])
      expect(labels).not.toContain(label);
  });

  it('keeps the device as a whole: licences and features counted per state, the earliest expiry', async () => {
    const samples = await exposition('lean', sampleDecisions());
    expect(valueOf(samples, 'license_agent_licenses', { state: 'active' })).toBe(1);
    expect(valueOf(samples, 'license_agent_licenses', { state: 'grace' })).toBe(1);
    expect(valueOf(samples, 'license_agent_licenses', { state: 'expired' })).toBe(0);
    expect(valueOf(samples, 'license_agent_features', { state: 'expired' })).toBe(1);
    expect(valueOf(samples, 'license_agent_features', { state: 'active' })).toBe(1);
    // 2025-06-01 (the licence in grace) is before 2026-01-01.
    expect(valueOf(samples, 'license_agent_next_license_expiry_timestamp_seconds')).toBe(
      Date.UTC(2025, 5, 1) / 1000,
    );
  });

  it('keeps four process metrics, with real values rather than zeros', async () => {
    const samples = await exposition('lean', sampleDecisions());
    const process = samples.filter((s) => !s.name.startsWith('license_agent_'));
    expect(process.map((s) => s.name).sort()).toEqual([
      'nodejs_heap_size_used_bytes',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
    ]);
    for (const sample of process) expect(sample.value, sample.name).toBeGreaterThan(0);
  });
});

describe('the full profile', () => {
  it('adds a series set per licence and per feature to what the lean profile has', async () => {
    const lean = await exposition('lean', biggerDevice(1));
    const full = await exposition('full', biggerDevice(1));
    const key = (s: { name: string; labels: object }) => `${s.name}${JSON.stringify(s.labels)}`;
    const fullKeys = new Set(full.map(key));
    const agentSeries = lean.filter((s) => s.name.startsWith('license_agent_'));
    expect(agentSeries.filter((s) => !fullKeys.has(key(s)))).toEqual([]);
    expect(seriesOf(full, 'license_agent_license_active')).toHaveLength(3);
    expect(seriesOf(full, 'license_agent_feature_allowed')).toHaveLength(4);
  });

  it('is what an agent gets when no profile is named', async () => {
    const metrics = createMetrics(new Registry(), { version: '1', upstream: 'licensespring' });
    metrics.decided(sampleDecisions());
    const samples = parseSamples(await metrics.render());
    expect(seriesOf(samples, 'license_agent_license_active')).toHaveLength(2);
    expect(seriesOf(samples, 'nodejs_heap_space_size_used_bytes').length).toBeGreaterThan(0);
  });
});

describe('the earliest licence expiry', () => {
  it('ignores licences that no longer allow use, and is absent when none that does expires', async () => {
    const samples = await exposition('lean', {
      ...sampleDecisions(),
      licenses: [
        licenseDecision({ licenseId: 1, expiresAt: null }),
        licenseDecision({
          licenseId: 2,
          allowed: false,
          state: 'expired',
          expiresAt: Date.UTC(2024, 0, 1),
        }),
      ],
    });
    expect(seriesOf(samples, 'license_agent_next_license_expiry_timestamp_seconds')).toEqual([]);
  });
});
