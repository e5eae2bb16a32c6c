import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/adapters/metrics/create-metrics.js';
import type { TrustView } from '../../../src/agent/ports.js';
import { parseSamples, valueOf } from './exposition.js';

const CORRECTIONS = 'license_agent_trusted_time_corrections_total';

const view = (timeCorrections: number): TrustView => ({
  trustedNow: 1_700_000_000_000,
  lastGenuineAt: 1_700_000_000_000,
  graceEndsAt: null,
  failing: false,
  clockRollbacks: 0,
  timeCorrections,
  serverSkewMs: null,
});

async function samplesAfter(build: (m: ReturnType<typeof createMetrics>) => void) {
  const metrics = createMetrics(new Registry(), { version: '1.2.3', upstream: 'licensespring' });
  build(metrics);
  return parseSamples(await metrics.render());
}

describe('trusted time correction metrics', () => {
  it('start at zero', async () => {
    expect(valueOf(await samplesAfter(() => undefined), CORRECTIONS)).toBe(0);
  });

  it('count each correction once, however often the view is reported', async () => {
    const samples = await samplesAfter((m) => {
      m.trust(view(1));
      m.trust(view(1));
      m.trust(view(3));
    });
    expect(valueOf(samples, CORRECTIONS)).toBe(3);
  });
});
