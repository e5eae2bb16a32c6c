import { spawnSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLemMetrics } from '../../../src/adapters/metrics/lem-metrics.js';
import { applyLemPoll, emptyLemSnapshot } from '../../../src/domain/lem-snapshot.js';

const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';
const inCi = process.env['CI'] === 'true';
const EXPIRY = 1786233599000;

const snapshot = applyLemPoll(
  emptyLemSnapshot,
  {
    stats: { kind: 'ok', value: { active: 7, used: 6, unused: 1, expired: 2 } },
    skus: { kind: 'ok', value: [{ licenseSku: 'litmusedge-scale-nl', count: 6, isCore: true }] },
    used: {
      kind: 'ok',
      value: [
        {
          projectId: 'p',
          deviceId: 'd0',
          deviceName: null,
          deviceFriendlyName: null,
          macAddress: '00:1a:2b:3c:4d:5e',
          expiryFeatureDate: EXPIRY,
          licenses: [
            {
              id: 'rec-1',
              licenseKey: 'LEMKEY-SECRET-0001',
              licenseSku: 'litmusedge-scale-nl',
              status: 'OK',
              activationDate: null,
              expiryDate: EXPIRY,
              expiryFeatureDate: EXPIRY,
              isCore: true,
              isTrial: false,
            },
          ],
        },
      ],
    },
    serverFeatures: {
      kind: 'ok',
      value: [{ name: 'RemoteUI', description: null, type: 'STABLE', enabled: false }],
    },
    licenseFeatures: {
      kind: 'ok',
      value: [
        {
          name: 'catalog',
          description: null,
          expiresAt: EXPIRY,
          count: -1,
          limited: false,
          enabled: true,
        },
      ],
    },
  },
  Date.UTC(2026, 0, 1),
  { kind: 'mac', mac: '00:1a:2b:3c:4d:5e' },
);

async function rendered(fill: boolean): Promise<string> {
  const registry = new Registry();
  const metrics = createLemMetrics(registry);
  if (fill) {
    metrics.show(snapshot);
    metrics.polled('stats', { at: 0, kind: 'unreachable', label: 'server_error', message: 'm' });
  }
  return registry.metrics();
}

describe('the LEM metrics', () => {
  it('count every poll outcome of every part from zero', async () => {
    const text = await rendered(false);
    expect(text).toContain('license_agent_lem_polls_total{part="used",outcome="ok"} 0');
    expect(text).toContain(
      'license_agent_lem_polls_total{part="license_features",outcome="lem_token_rejected"} 0',
    );
    expect(text).toContain('license_agent_lem_polls_total{part="stats",outcome="tls"} 0');
  });

  it("show the pool, the catalogues and this device's licence, with no licence key", async () => {
    const text = await rendered(true);
    const expected = [
      'license_agent_lem_pool_licenses{state="expired"} 2',
      'license_agent_lem_sku_licenses{sku="litmusedge-scale-nl",core="true"} 6',
      'license_agent_lem_server_feature_enabled{feature="RemoteUI"} 0',
      'license_agent_lem_license_feature_expiry_timestamp_seconds{feature="catalog"} 1786233599',
      'license_agent_lem_device_licenses 1',
      'license_agent_lem_device_license_expiry_timestamp_seconds{license_id="rec-1",sku="litmusedge-scale-nl"} 1786233599',
      'license_agent_lem_device_license_feature_expiry_timestamp_seconds{license_id="rec-1",sku="litmusedge-scale-nl"} 1786233599',
      'license_agent_lem_polls_total{part="stats",outcome="server_error"} 1',
      'license_agent_lem_last_success_timestamp_seconds{part="used"} 1767225600',
    ];
    for (const line of expected) expect(text).toContain(line);
    expect(text).not.toContain('LEMKEY');
  });

  it.for([false, true])('pass `promtool check metrics` (filled: %s)', async (fill, context) => {
    const result = spawnSync(PROMTOOL, ['check', 'metrics'], {
      input: await rendered(fill),
      encoding: 'utf8',
    });
    const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    if (missing && !inCi) context.skip(`${PROMTOOL} not found`);
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({
      status: 0,
      output: '',
    });
  });
});
