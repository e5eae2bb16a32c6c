import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { continueTimeline, fromSavedState, toSavedState } from '../../src/agent/saved-state.js';
import { createEvidenceReader } from '../../src/adapters/licensespring/evidence-reader.js';
import { parseDeviceLicenses } from '../../src/adapters/licensespring/parse-device-licenses.js';
import { parseFeatureCheck } from '../../src/adapters/licensespring/parse-feature-check.js';
import { signResponse } from '../../src/adapters/licensespring/response-signature.js';
import { initialTimeline } from '../../src/domain/trust-timeline.js';
import type { AgentState } from '../../src/domain/grace.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const reader = createEvidenceReader(publicKey);
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/licensespring/${name}`, import.meta.url), 'utf8');

function signed(text: string) {
  return { body: text, signature: signResponse(JSON.parse(text), privateKey) };
}

function answeredState(): AgentState {
  const licensesEvidence = signed(fixture('device-licenses.004-example.json'));
  const checkEvidence = signed(fixture('check-license-feature.002-example.json'));
  const licenses = parseDeviceLicenses(JSON.parse(licensesEvidence.body));
  const grant = parseFeatureCheck(JSON.parse(checkEvidence.body));
  if (!licenses.ok || !grant.ok) throw new Error('fixtures must parse');
  return {
    observations: {
      licenses: {
        kind: 'licenses',
        licenses: licenses.value,
        verifiedAt: 1000,
        evidence: licensesEvidence,
      },
      featureChecks: new Map([
        [
          `${String(grant.value.licenseId)}:e`,
          { kind: 'granted', grant: grant.value, verifiedAt: 1000, evidence: checkEvidence },
        ],
        [
          '1700060342999659:ccc',
          { kind: 'refused', code: 'floating_slots_exhausted', verifiedAt: 1000 },
        ],
      ]),
    },
    trust: { ...initialTimeline, lastGenuineAt: 1000, highestTrustedAt: 2000 },
  };
}

describe('state saved and restored', () => {
  it('comes back as it was saved, verified again', () => {
    const state = answeredState();
    const restored = fromSavedState(toSavedState(state, 'hw', 3000, null), reader);
    expect(restored).toEqual({ ok: true, state });
  });

  it('keeps only evidence and codes, never parsed licences', () => {
    const saved = toSavedState(answeredState(), 'hw', 3000, null);
    expect(saved.deviceLicenses).toMatchObject({ kind: 'genuine', verifiedAt: 1000 });
    expect(Object.keys(saved.deviceLicenses ?? {})).not.toContain('licenses');
  });

  it('evidence signed by another key is refused as bad_signature', () => {
    const saved = toSavedState(answeredState(), 'hw', 3000, null);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const body = fixture('device-licenses.004-example.json').replace(
      '"license_enabled": true',
      '"license_enabled": false',
    );
    const forged = {
      ...saved,
      deviceLicenses: {
        kind: 'genuine' as const,
        verifiedAt: 1000,
        evidence: { body, signature: signResponse(JSON.parse(body), other.privateKey) },
      },
    };
    expect(fromSavedState(forged, reader)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('evidence without a signature is refused when a key is configured', () => {
    const saved = toSavedState(answeredState(), 'hw', 3000, null);
    const unsigned = {
      ...saved,
      deviceLicenses: {
        kind: 'genuine' as const,
        verifiedAt: 1000,
        evidence: { body: '[]', signature: null },
      },
    };
    expect(fromSavedState(unsigned, reader)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('a genuine feature grant filed under another feature is refused', () => {
    const saved = toSavedState(answeredState(), 'hw', 3000, null);
    const moved = {
      ...saved,
      featureChecks: saved.featureChecks.map((c) =>
        c.code === 'e' ? { ...c, code: 'premium' } : c,
      ),
    };
    expect(fromSavedState(moved, reader)).toMatchObject({ ok: false, reason: 'wrong_shape' });
  });
});

describe('a saved timeline carried across a restart', () => {
  const BOOT = '81d9a188-2f24-4afc-ba88-17deeaf1326f';
  const saved = { ...initialTimeline, highestTrustedAt: 5000, highestMonotonic: 700 };

  it('keeps its monotonic reading within the boot that took it', () => {
    expect(continueTimeline(saved, { bootId: BOOT }, { bootId: BOOT, monotonic: 900 })).toBe(saved);
  });

  it('drops the reading on another boot: the saved instant is then a floor only', () => {
    const other = '0f3c6a52-7d1e-4b8a-9c2f-5e6d7a8b9c0d';
    expect(
      continueTimeline(saved, { bootId: BOOT }, { bootId: other, monotonic: 900 }),
    ).toMatchObject({ highestTrustedAt: 5000, highestMonotonic: null });
  });

  it('drops the reading when either boot is unknown', () => {
    expect(
      continueTimeline(saved, { bootId: null }, { bootId: null, monotonic: 900 }).highestMonotonic,
    ).toBeNull();
    expect(
      continueTimeline(saved, { bootId: BOOT }, { bootId: null, monotonic: 900 }).highestMonotonic,
    ).toBeNull();
  });

  it('drops a reading ahead of the monotonic clock now: it cannot be of this boot', () => {
    expect(
      continueTimeline(saved, { bootId: BOOT }, { bootId: BOOT, monotonic: 600 }).highestMonotonic,
    ).toBeNull();
  });

  it('saves the boot ID with the state', () => {
    expect(toSavedState(answeredState(), 'hw', 3000, BOOT).bootId).toBe(BOOT);
  });
});
