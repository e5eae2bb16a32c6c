import type { KeyObject } from 'node:crypto';
import type { EvidenceReader, Reread } from '../../agent/state-ports.js';
import type { Evidence } from '../../domain/evidence.js';
import { parseDeviceLicenses, type ParseResult } from './parse-device-licenses.js';
import { parseFeatureCheck } from './parse-feature-check.js';
import { verifyResponseSignature } from './response-signature.js';

/** Re-verifies kept answers with the same key and parsers that accepted them the first time. */
export function createEvidenceReader(publicKey: KeyObject | null): EvidenceReader {
  function reread<T>(evidence: Evidence, parse: (body: unknown) => ParseResult<T>): Reread<T> {
    let body: unknown;
    try {
      body = JSON.parse(evidence.body) as unknown;
    } catch {
      return { ok: false, reason: 'wrong_shape' };
    }
    if (publicKey !== null) {
      if (evidence.signature === null) return { ok: false, reason: 'bad_signature' };
      if (!verifyResponseSignature(body, evidence.signature, publicKey)) {
        return { ok: false, reason: 'bad_signature' };
      }
    }
    const parsed = parse(body);
    return parsed.ok ? parsed : { ok: false, reason: 'wrong_shape' };
  }
  return {
    deviceLicenses: (evidence) => reread(evidence, parseDeviceLicenses),
    featureCheck: (evidence) => reread(evidence, parseFeatureCheck),
  };
}
