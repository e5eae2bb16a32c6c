import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  createMetrics,
  type MetricsProfile,
} from '../../../src/adapters/metrics/create-metrics.js';
import { parseSamples, seriesOf, valueOf } from './exposition.js';
import { sampleDecisions } from './sample-decisions.js';

function agentMetrics(profile: MetricsProfile) {
  const metrics = createMetrics(new Registry(), { version: '1', upstream: 'sandbox', profile });
  metrics.decided(sampleDecisions());
  return metrics;
}

describe('feature questions', () => {
  it('are counted by surface, with the ones answered "not allowed" counted as denials', async () => {
    const metrics = agentMetrics('lean');
    metrics.featureAnswered('api', 'analytics', true);
    metrics.featureAnswered('api', 'export', false);
    metrics.featureAnswered('ofrep', null, false);
    const samples = parseSamples(await metrics.render());
    expect(valueOf(samples, 'license_agent_feature_questions_total', { surface: 'api' })).toBe(2);
    expect(valueOf(samples, 'license_agent_feature_denials_total', { surface: 'api' })).toBe(1);
    expect(valueOf(samples, 'license_agent_feature_questions_total', { surface: 'ofrep' })).toBe(1);
    expect(valueOf(samples, 'license_agent_feature_denials_total', { surface: 'ofrep' })).toBe(1);
  });

  it('keep counting across scrapes rather than starting again', async () => {
    const metrics = agentMetrics('lean');
    metrics.featureAnswered('api', 'analytics', false);
    await metrics.render();
    metrics.featureAnswered('api', 'analytics', false);
    const samples = parseSamples(await metrics.render());
    expect(valueOf(samples, 'license_agent_feature_denials_total', { surface: 'api' })).toBe(2);
  });

  it('are counted per feature only in the full profile', async () => {
    const lean = agentMetrics('lean');
    lean.featureAnswered('api', 'analytics', true);
    const samples = parseSamples(await lean.render());
    expect(seriesOf(samples, 'license_agent_feature_questions_by_feature_total')).toEqual([]);
  });

  it('start at zero per listed feature, and count any other code as (unlisted)', async () => {
    const metrics = agentMetrics('full');
    metrics.featureAnswered('api', 'export', false);
    metrics.featureAnswered('ofrep', null, false);
    metrics.featureAnswered('api', null, false);
    const samples = parseSamples(await metrics.render());
    const asked = 'license_agent_feature_questions_by_feature_total';
    const denied = 'license_agent_feature_denials_by_feature_total';
    expect(seriesOf(samples, asked).map((s) => s.labels['feature'])).toEqual([
      '(unlisted)',
      'analytics',
      'detect',
      'export',
    ]);
    expect(valueOf(samples, denied, { feature: 'export' })).toBe(1);
    expect(valueOf(samples, denied, { feature: 'analytics' })).toBe(0);
    expect(valueOf(samples, asked, { feature: '(unlisted)' })).toBe(2);
  });

  it('leave no per-feature series for a feature the decisions no longer list', async () => {
    const metrics = agentMetrics('full');
    metrics.featureAnswered('api', 'detect', true);
    const later = sampleDecisions();
    metrics.decided({ ...later, features: later.features.filter((f) => f.code !== 'detect') });
    const samples = parseSamples(await metrics.render());
    expect(samples.filter((s) => s.labels['feature'] === 'detect')).toEqual([]);
  });
});
