import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/adapters/metrics/create-metrics.js';
import { parseSamples, valueOf } from './exposition.js';

async function samplesAfter(build: (m: ReturnType<typeof createMetrics>) => void) {
  const metrics = createMetrics(new Registry(), { version: '1.2.3', upstream: 'licensespring' });
  build(metrics);
  return parseSamples(await metrics.render());
}

describe('state save metrics', () => {
  it('start at zero: no failure, no save yet', async () => {
    const samples = await samplesAfter(() => undefined);
    expect(valueOf(samples, 'license_agent_state_save_failures_total', {})).toBe(0);
    expect(valueOf(samples, 'license_agent_last_state_save_timestamp_seconds', {})).toBe(0);
  });

  it('count failed saves, and keep when the last good one was', async () => {
    const samples = await samplesAfter((m) => {
      m.stateSaved(true, 1_700_000_000_000);
      m.stateSaved(false, 1_700_000_060_000);
      m.stateSaved(false, 1_700_000_120_000);
    });
    expect(valueOf(samples, 'license_agent_state_save_failures_total', {})).toBe(2);
    expect(valueOf(samples, 'license_agent_last_state_save_timestamp_seconds', {})).toBe(
      1_700_000_000,
    );
  });
});
