import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/adapters/metrics/create-metrics.js';
import type { TrustView } from '../../../src/agent/ports.js';
import { parseSamples, seriesOf, valueOf } from './exposition.js';

const NOW = Date.UTC(2025, 0, 10);
const HOUR = 3_600_000;

const neverAnswered: TrustView = {
  trustedNow: NOW,
  lastGenuineAt: null,
  graceEndsAt: null,
  failing: true,
  clockRollbacks: 0,
  timeCorrections: 0,
  serverSkewMs: null,
};

async function samplesAfter(views: readonly TrustView[]) {
  const metrics = createMetrics(new Registry(), { version: '1', upstream: 'licensespring' });
  for (const view of views) metrics.trust(view);
  return parseSamples(await metrics.render());
}

describe('offline grace and time metrics', () => {
  it.each([
    'license_agent_offline_grace_remaining_seconds',
    'license_agent_last_genuine_answer_timestamp_seconds',
    'license_agent_server_clock_skew_seconds',
    'license_agent_next_sync_timestamp_seconds',
    'license_agent_next_license_expiry_timestamp_seconds',
  ])('leave %s absent, not 0, before anything is known', async (name) => {
    for (const views of [[], [neverAnswered]]) {
      expect(seriesOf(await samplesAfter(views), name)).toEqual([]);
    }
  });

  it('give the offline grace left in seconds while it runs, and 0 once it has lapsed', async () => {
    const answered = { ...neverAnswered, lastGenuineAt: NOW - 60 * HOUR, serverSkewMs: 1500 };
    const running = await samplesAfter([{ ...answered, graceEndsAt: NOW + 12 * HOUR }]);
    expect(valueOf(running, 'license_agent_offline_grace_remaining_seconds')).toBe(12 * 3600);
    expect(valueOf(running, 'license_agent_server_clock_skew_seconds')).toBe(1.5);
    const lapsed = await samplesAfter([{ ...answered, graceEndsAt: NOW - HOUR }]);
    expect(valueOf(lapsed, 'license_agent_offline_grace_remaining_seconds')).toBe(0);
  });

  it('drop the offline grace again when the state it came from is gone', async () => {
    const answered = { ...neverAnswered, lastGenuineAt: NOW, graceEndsAt: NOW + HOUR };
    const samples = await samplesAfter([answered, neverAnswered]);
    expect(seriesOf(samples, 'license_agent_offline_grace_remaining_seconds')).toEqual([]);
  });
});
