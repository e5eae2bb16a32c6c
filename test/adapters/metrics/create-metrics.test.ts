import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/adapters/metrics/create-metrics.js';
import { MISNAMED_DEFAULT_GAUGES } from '../../../src/adapters/metrics/default-metrics.js';
import { metricTypes, parseSamples, seriesOf, valueOf } from './exposition.js';
import { licenseDecision, sampleDecisions } from './sample-decisions.js';
import { genuineOutcome, unreachableOutcome } from './sample-outcomes.js';

async function render(build: (m: ReturnType<typeof createMetrics>) => void) {
  const metrics = createMetrics(new Registry(), { version: '1.2.3', upstream: 'licensespring' });
  build(metrics);
  const text = await metrics.render();
  return { text, samples: parseSamples(text) };
}

const STATES = ['active', 'grace', 'expired', 'denied', 'unknown'];

describe('createMetrics', () => {
  it('exposes build info with the agent and Node.js versions', async () => {
    const { samples } = await render(() => undefined);
    expect(
      valueOf(samples, 'license_agent_build_info', {
        version: '1.2.3',
        node_version: process.version,
      }),
    ).toBe(1);
  });

  it.each(['sandbox', 'licensespring'] as const)(
    'says which licence server the agent uses: %s',
    async (upstream) => {
      const metrics = createMetrics(new Registry(), { version: '1.2.3', upstream });
      const samples = parseSamples(await metrics.render());
      expect(seriesOf(samples, 'license_agent_upstream_info')).toEqual([
        expect.objectContaining({ labels: { kind: upstream }, value: 1 }),
      ]);
    },
  );

  it('answers with the Prometheus text content type', () => {
    const metrics = createMetrics(new Registry(), { version: '1.2.3', upstream: 'licensespring' });
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('registers nothing in a registry it was not given, so two instances coexist', async () => {
    const first = createMetrics(new Registry(), { version: 'a', upstream: 'licensespring' });
    const second = createMetrics(new Registry(), { version: 'b', upstream: 'licensespring' });
    first.syncFinished('ok', Date.UTC(2025, 0, 1));
    const samples = parseSamples(await second.render());
    expect(valueOf(samples, 'license_agent_sync_runs_total', { result: 'ok' })).toBe(0);
  });

  it('sets one licence_active, licence_state and expiry series per licence', async () => {
    const { samples } = await render((m) => {
      m.decided(sampleDecisions());
    });
    const edge = { license_id: '1001', product: 'edge' };
    const vision = { license_id: '2002', product: 'vision' };
    expect(valueOf(samples, 'license_agent_license_active', edge)).toBe(1);
    expect(valueOf(samples, 'license_agent_license_active', vision)).toBe(1);
    for (const state of STATES) {
      expect(valueOf(samples, 'license_agent_license_state', { ...edge, state })).toBe(
        state === 'active' ? 1 : 0,
      );
      expect(valueOf(samples, 'license_agent_license_state', { ...vision, state })).toBe(
        state === 'grace' ? 1 : 0,
      );
    }
    expect(valueOf(samples, 'license_agent_license_expiry_timestamp_seconds', edge)).toBe(
      Date.UTC(2026, 0, 1) / 1000,
    );
    expect(valueOf(samples, 'license_agent_license_expiry_timestamp_seconds', vision)).toBe(
      Date.UTC(2025, 5, 1) / 1000,
    );
  });

  it('omits the expiry series of a licence that does not expire', async () => {
    const { samples } = await render((m) => {
      m.decided({ ...sampleDecisions(), licenses: [licenseDecision({ expiresAt: null })] });
    });
    expect(seriesOf(samples, 'license_agent_license_active')).toHaveLength(1);
    expect(seriesOf(samples, 'license_agent_license_expiry_timestamp_seconds')).toEqual([]);
  });

  it('sets feature_allowed, the feature state enum and feature expiry per feature', async () => {
    const { samples } = await render((m) => {
      m.decided(sampleDecisions());
    });
    expect(valueOf(samples, 'license_agent_feature_allowed', { feature: 'analytics' })).toBe(1);
    expect(valueOf(samples, 'license_agent_feature_allowed', { feature: 'detect' })).toBe(1);
    expect(valueOf(samples, 'license_agent_feature_allowed', { feature: 'export' })).toBe(0);
    for (const state of STATES) {
      expect(valueOf(samples, 'license_agent_feature_state', { feature: 'export', state })).toBe(
        state === 'expired' ? 1 : 0,
      );
    }
    expect(seriesOf(samples, 'license_agent_feature_state')).toHaveLength(3 * STATES.length);
    expect(
      valueOf(samples, 'license_agent_feature_expiry_timestamp_seconds', { feature: 'analytics' }),
    ).toBeUndefined();
    expect(
      valueOf(samples, 'license_agent_feature_expiry_timestamp_seconds', { feature: 'export' }),
    ).toBe(Date.UTC(2024, 11, 1) / 1000);
  });

  it('sets the device state enum', async () => {
    const { samples } = await render((m) => {
      m.decided({
        ...sampleDecisions(),
        device: { ...sampleDecisions().device, state: 'unknown' },
      });
    });
    for (const state of STATES) {
      expect(valueOf(samples, 'license_agent_device_state', { state })).toBe(
        state === 'unknown' ? 1 : 0,
      );
    }
  });

  it('drops every series of a licence and feature that disappeared from the decisions', async () => {
    const { samples } = await render((m) => {
      m.decided(sampleDecisions());
      const later = sampleDecisions();
      m.decided({
        ...later,
        licenses: later.licenses.filter((l) => l.licenseId !== 2002),
        features: later.features.filter((f) => f.code !== 'detect'),
      });
    });
    const gone = samples.filter(
      (s) => s.labels['license_id'] === '2002' || s.labels['feature'] === 'detect',
    );
    expect(gone).toEqual([]);
    expect(
      valueOf(samples, 'license_agent_license_active', { license_id: '1001', product: 'edge' }),
    ).toBe(1);
    expect(valueOf(samples, 'license_agent_feature_allowed', { feature: 'analytics' })).toBe(1);
  });

  it('keeps one device_info series, replaced when the hardware ID changes', async () => {
    const metrics = createMetrics(new Registry(), {
      version: '1.2.3',
      hardwareId: 'hw-old',
      upstream: 'licensespring',
    });
    expect(
      valueOf(parseSamples(await metrics.render()), 'license_agent_device_info', {
        hardware_id: 'hw-old',
      }),
    ).toBe(1);
    metrics.identity('hw-new', []);
    const series = seriesOf(parseSamples(await metrics.render()), 'license_agent_device_info');
    expect(series).toEqual([
      { name: 'license_agent_device_info', labels: { hardware_id: 'hw-new' }, value: 1 },
    ]);
  });

  it('flags changed hardware ID components with snake_case names and zeroes the rest', async () => {
    const { samples } = await render((m) => {
      m.identity('hw', ['machineId', 'dmiUuid']);
    });
    const name = 'license_agent_hardware_id_component_changed';
    expect(valueOf(samples, name, { component: 'mac' })).toBe(0);
    expect(valueOf(samples, name, { component: 'machine_id' })).toBe(1);
    expect(valueOf(samples, name, { component: 'dmi_uuid' })).toBe(1);
  });

  it('counts upstream attempts by endpoint and outcome and times them', async () => {
    const { samples } = await render((m) => {
      m.upstreamAttempt('device_licenses', genuineOutcome, 0.2);
      m.upstreamAttempt('device_licenses', unreachableOutcome('timeout'), 12);
      m.upstreamAttempt('device_licenses', genuineOutcome, 0.4);
      m.upstreamSucceeded('device_licenses', Date.UTC(2025, 0, 1, 12));
    });
    const requests = 'license_agent_upstream_requests_total';
    expect(valueOf(samples, requests, { endpoint: 'device_licenses', outcome: 'genuine' })).toBe(2);
    expect(valueOf(samples, requests, { endpoint: 'device_licenses', outcome: 'timeout' })).toBe(1);
    const duration = 'license_agent_upstream_request_duration_seconds';
    expect(valueOf(samples, `${duration}_count`, { endpoint: 'device_licenses' })).toBe(3);
    expect(valueOf(samples, `${duration}_sum`, { endpoint: 'device_licenses' })).toBeCloseTo(12.6);
    expect(valueOf(samples, `${duration}_bucket`, { endpoint: 'device_licenses', le: '0.5' })).toBe(
      2,
    );
    expect(valueOf(samples, `${duration}_bucket`, { endpoint: 'device_licenses', le: '20' })).toBe(
      3,
    );
    expect(valueOf(samples, `${duration}_count`, { endpoint: 'check_license_feature' })).toBe(0);
    expect(
      valueOf(samples, 'license_agent_upstream_last_success_timestamp_seconds', {
        endpoint: 'device_licenses',
      }),
    ).toBe(Date.UTC(2025, 0, 1, 12) / 1000);
  });

  it('counts sync runs by result from zero and records when the last one finished', async () => {
    const { samples } = await render((m) => {
      m.syncFinished('ok', Date.UTC(2025, 0, 1));
      m.syncFinished('partial', Date.UTC(2025, 0, 2));
    });
    expect(valueOf(samples, 'license_agent_sync_runs_total', { result: 'ok' })).toBe(1);
    expect(valueOf(samples, 'license_agent_sync_runs_total', { result: 'partial' })).toBe(1);
    expect(valueOf(samples, 'license_agent_sync_runs_total', { result: 'failed' })).toBe(0);
    expect(valueOf(samples, 'license_agent_last_sync_timestamp_seconds')).toBe(
      Date.UTC(2025, 0, 2) / 1000,
    );
  });

  it('includes default Node metrics with no gauge named _total', async () => {
    const { text } = await render(() => undefined);
    const types = metricTypes(text);
    expect(types.get('process_cpu_seconds_total')).toBe('counter');
    expect(types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    const misnamed = [...types].filter(
      ([name, type]) => type !== 'counter' && name.endsWith('_total'),
    );
    expect(misnamed).toEqual([]);
  });

  it('keeps the per-type gauges that the removed _total gauges summed', async () => {
    const { text } = await render(() => undefined);
    const types = metricTypes(text);
    for (const name of MISNAMED_DEFAULT_GAUGES) {
      expect(types.has(name)).toBe(false);
      expect(types.get(name.replace(/_total$/, ''))).toBe('gauge');
    }
  });
});
