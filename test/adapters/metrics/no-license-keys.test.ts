import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/adapters/metrics/create-metrics.js';
import { decide } from '../../../src/domain/decision.js';
import type { License } from '../../../src/domain/license.js';
import { featureCheckKey } from '../../../src/domain/observations.js';
import { parseSamples } from './exposition.js';
import { LICENSE_KEY_A, LICENSE_KEY_B } from './sample-decisions.js';
import { genuineOutcome } from './sample-outcomes.js';

const NOW = Date.UTC(2025, 0, 1);

function license(id: number, key: string, productCode: string): License {
  return {
    id,
    key,
    user: null,
    productCode,
    productName: `Product ${productCode}`,
    type: 'subscription',
    enabled: true,
    active: true,
    trial: false,
    expired: false,
    validUntil: NOW + 86_400_000,
    graceHours: 24,
    floating: false,
    preventVm: false,
    features: [
      {
        code: `${productCode}-pro`,
        name: 'Pro',
        type: 'activation',
        expiresAt: null,
        floating: false,
      },
    ],
  };
}

const NO_EVIDENCE = { body: '[]', signature: null };

describe('metric labels', () => {
  it('never carry a licence key, even when the decisions come from keyed licences', async () => {
    const metrics = createMetrics(new Registry(), {
      version: '1.2.3',
      hardwareId: 'hw-1',
      upstream: 'licensespring',
    });
    const licenses = [license(1001, LICENSE_KEY_A, 'edge'), license(2002, LICENSE_KEY_B, 'vision')];
    metrics.decided(
      decide(
        {
          licenses: { kind: 'licenses', licenses, verifiedAt: NOW, evidence: NO_EVIDENCE },
          featureChecks: new Map([
            [
              featureCheckKey(1001, 'edge-pro'),
              {
                kind: 'granted',
                grant: { licenseId: 1001, code: 'edge-pro', expiresAt: null, floatingInUse: null },
                verifiedAt: NOW,
                evidence: NO_EVIDENCE,
              },
            ],
          ]),
        },
        NOW,
        { features: ['edge-pro', 'unlicensed'] },
      ),
    );
    metrics.upstreamAttempt('check_license_feature', genuineOutcome, 0.1);
    metrics.syncFinished('ok', NOW);

    const text = await metrics.render();
    const labelValues = parseSamples(text).flatMap((s) => Object.values(s.labels));
    expect(labelValues).toContain('1001');
    for (const key of [LICENSE_KEY_A, LICENSE_KEY_B]) {
      expect(text).not.toContain(key);
      // Nor a recognisable fragment of one, such as a key split on its dashes.
      for (const group of key.split('-')) {
        expect(labelValues.filter((v) => v.includes(group))).toEqual([]);
      }
    }
  });
});
