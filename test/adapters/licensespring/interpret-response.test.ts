import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { interpretResponse } from '../../../src/adapters/licensespring/interpret-response.js';
import { parseDeviceLicenses } from '../../../src/adapters/licensespring/parse-device-licenses.js';
import { signResponse } from '../../../src/adapters/licensespring/response-signature.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = Date.parse('2026-06-01T00:00:00Z');
const body = [
  {
    id: 1,
    license_key: 'AAAA-BBBB',
    license_active: true,
    license_enabled: true,
    license_type: 'perpetual',
    product_details: { short_code: 'edge-suite' },
    product_features: [],
  },
];
const text = JSON.stringify(body);
const options = { publicKey, now, parse: parseDeviceLicenses };

function answer(status: number, headers: Record<string, string>, payload = text) {
  return interpretResponse({ status, headers, body: payload }, options);
}

describe('interpreting an answer', () => {
  it('a signed body of the right shape is genuine, with the server Date', () => {
    const outcome = answer(200, {
      licensesignature: signResponse(body, privateKey),
      date: 'Mon, 01 Jun 2026 00:00:05 GMT',
    });
    expect(outcome).toMatchObject({ kind: 'genuine', serverDate: now + 5000 });
  });

  it('a body without a signature is not genuine', () => {
    expect(answer(200, {})).toEqual({ kind: 'not-genuine', reason: 'missing_signature' });
  });

  it('a body signed by another key is not genuine', () => {
    const outcome = answer(200, { licensesignature: signResponse(body, other.privateKey) });
    expect(outcome).toEqual({ kind: 'not-genuine', reason: 'bad_signature' });
  });

  it('a body altered after signing is not genuine', () => {
    const signature = signResponse(body, privateKey);
    const tampered = text.replace('"license_enabled":true', '"license_enabled":false');
    expect(answer(200, { licensesignature: signature }, tampered)).toEqual({
      kind: 'not-genuine',
      reason: 'bad_signature',
    });
  });

  it('a signature that is not base64 is a wrong signature, not a crash', () => {
    expect(answer(200, { licensesignature: '%%%not base64%%%' })).toEqual({
      kind: 'not-genuine',
      reason: 'bad_signature',
    });
  });

  it('a truncated body is malformed JSON', () => {
    const signature = signResponse(body, privateKey);
    expect(answer(200, { licensesignature: signature }, text.slice(0, 40))).toEqual({
      kind: 'not-genuine',
      reason: 'malformed_json',
    });
  });

  it('a signed body of the wrong shape is not genuine', () => {
    const wrong = { licenses: body };
    const outcome = answer(
      200,
      { licensesignature: signResponse(wrong, privateKey) },
      JSON.stringify(wrong),
    );
    expect(outcome).toEqual({ kind: 'not-genuine', reason: 'wrong_shape' });
  });

  it('without a configured key the signature is not asked for', () => {
    const outcome = interpretResponse(
      { status: 200, headers: { date: 'Mon, 01 Jun 2026 00:00:05 GMT' }, body: text },
      { ...options, publicKey: null },
    );
    expect(outcome.kind).toBe('genuine');
  });

  it('a signed answer without a server Date cannot be placed in time, so it is not genuine', () => {
    expect(answer(200, { licensesignature: signResponse(body, privateKey) })).toEqual({
      kind: 'not-genuine',
      reason: 'untimely_answer',
    });
  });

  it('a body whose licences are signed for another device is not this device’s answer', () => {
    const outcome = interpretResponse(
      {
        status: 200,
        headers: {
          licensesignature: signResponse(body, privateKey),
          date: 'Mon, 01 Jun 2026 00:00:05 GMT',
        },
        body: text,
      },
      { ...options, isForThisDevice: () => false },
    );
    expect(outcome).toEqual({ kind: 'not-genuine', reason: 'foreign_answer' });
  });

  it.each([
    [500, 'server_error'],
    [502, 'server_error'],
    [503, 'server_error'],
    [429, 'rate_limited'],
    [408, 'timeout'],
  ])('HTTP %i means the server could not answer (%s)', (status, cause) => {
    expect(answer(status, {}, 'oops')).toMatchObject({ kind: 'unreachable', cause, status });
  });

  it('Retry-After in seconds and as a date are both honoured', () => {
    expect(answer(429, { 'retry-after': '30' })).toMatchObject({ retryAfterMs: 30_000 });
    expect(answer(503, { 'retry-after': 'Mon, 01 Jun 2026 00:01:00 GMT' })).toMatchObject({
      retryAfterMs: 60_000,
    });
  });

  it('a vendor error body about the licence is a refusal', () => {
    const error = JSON.stringify({ status: 400, code: 'license_not_enabled', message: 'no' });
    expect(answer(400, { date: 'Mon, 01 Jun 2026 00:00:05 GMT' }, error)).toEqual({
      kind: 'refused',
      code: 'license_disabled',
      upstreamCode: 'license_not_enabled',
      status: 400,
      serverDate: now + 5000,
    });
  });

  it.each([
    [
      'the vendor’s code with a status it never sends it with',
      404,
      'blacklisted',
      'unrecognised_error',
    ],
    ['a code the vendor does not document', 400, 'license_revoked', 'unrecognised_error'],
    ['an error body without a code', 400, null, 'wrong_shape'],
  ])('%s is not a refusal: it is not genuine', (_name, status, code, reason) => {
    const error = JSON.stringify({ status, ...(code === null ? {} : { code }), message: 'no' });
    expect(answer(status, {}, error)).toEqual({ kind: 'not-genuine', reason });
  });

  it('a proxy asking for credentials (407) means the server was not reached', () => {
    const error = JSON.stringify({ status: 407, code: 'blacklisted', message: 'proxy' });
    expect(answer(407, {}, error)).toMatchObject({ kind: 'unreachable', cause: 'proxy' });
  });

  it('a vendor error body about the request is a rejection', () => {
    const error = JSON.stringify({ status: 400, code: 'date_header_diff', message: 'clock' });
    expect(answer(400, {}, error)).toMatchObject({ kind: 'rejected', code: 'date_header_diff' });
  });

  it('a 4xx page from something other than the vendor is not an answer', () => {
    expect(answer(404, {}, '<html>not here</html>')).toEqual({
      kind: 'not-genuine',
      reason: 'wrong_shape',
    });
  });
});
