import { spawnSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  createMetrics,
  type PrometheusMetrics,
} from '../../../src/adapters/metrics/create-metrics.js';
import { sampleDecisions } from './sample-decisions.js';
import { genuineOutcome, unreachableOutcome } from './sample-outcomes.js';

// promtool comes from the Debian package `prometheus`. CI installs it, so there a missing binary
// is a failure; on a developer machine without it the test skips and says why.
const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';
const inCi = process.env['CI'] === 'true';

function busy(metrics: PrometheusMetrics): void {
  metrics.decided(sampleDecisions());
  metrics.identity('hw-2', ['mac']);
  metrics.upstreamAttempt('device_licenses', genuineOutcome, 0.3);
  metrics.upstreamAttempt('check_license_feature', unreachableOutcome('timeout'), 30);
  metrics.upstreamSucceeded('device_licenses', Date.UTC(2025, 0, 1));
  metrics.syncFinished('partial', Date.UTC(2025, 0, 1));
}

describe('the /metrics exposition', () => {
  it.for<readonly [string, (metrics: PrometheusMetrics) => void]>([
    ['right after start', () => undefined],
    ['once every metric has series', busy],
  ])('passes `promtool check metrics` with no complaint %s', async ([, act], context) => {
    const metrics = createMetrics(new Registry(), {
      version: '1.2.3',
      hardwareId: 'hw-1',
      upstream: 'licensespring',
    });
    act(metrics);

    const result = spawnSync(PROMTOOL, ['check', 'metrics'], {
      input: await metrics.render(),
      encoding: 'utf8',
    });
    const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    if (missing && !inCi) {
      context.skip(`${PROMTOOL} not found: install the Debian package "prometheus" to run this`);
    }
    expect(result.error, `${PROMTOOL} must run here (CI installs "prometheus")`).toBeUndefined();
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({
      status: 0,
      output: '',
    });
  });
});
