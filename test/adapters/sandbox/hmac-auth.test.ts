import { describe, expect, it } from 'vitest';
import { hmacSignature } from '../../../src/adapters/licensespring/request-signing.js';
import { SANDBOX_API_KEY, SANDBOX_SHARED_KEY } from '../../../src/adapters/sandbox/credentials.js';
import type { Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { apiUrl, manualClock, send, signedHeaders, START, sandboxPerTest } from './sandbox-http.js';

const MINUTE = 60_000;

const sandboxes = sandboxPerTest();
let sandbox: Sandbox;

async function listDevice(headers: Record<string, string>, clock = manualClock()) {
  sandbox = await sandboxes.start({ now: clock.now });
  return send(apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' }), { headers });
}

function refusal(code: string) {
  return { status: 400, code, message: expect.any(String) as string };
}

describe('sandbox HMAC request authentication', () => {
  it('accepts a request signed with the shared key and a current Date', async () => {
    const answer = await listDevice(signedHeaders(START));
    expect(answer.status).toBe(200);
    expect(sandbox.requests()[0]?.auth).toBe('hmac');
  });

  it('rejects a wrong shared key with signature_mismatch', async () => {
    const answer = await listDevice(signedHeaders(START, { sharedKey: 'not-the-shared-key' }));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(refusal('signature_mismatch'));
    expect(sandbox.requests()[0]?.auth).toBe('rejected');
  });

  it('rejects an unknown API key with signature_mismatch', async () => {
    const answer = await listDevice(signedHeaders(START, { apiKey: 'someone-else' }));
    expect(answer.body).toEqual(refusal('signature_mismatch'));
  });

  it('uses the keys it is started with', async () => {
    const clock = manualClock();
    sandbox = await sandboxes.start({ now: clock.now, apiKey: 'k1', sharedKey: 's1' });
    const url = apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' });
    const own = await send(url, {
      headers: signedHeaders(START, { apiKey: 'k1', sharedKey: 's1' }),
    });
    const defaults = await send(url, { headers: signedHeaders(START) });
    expect([own.status, defaults.body.code]).toEqual([200, 'signature_mismatch']);
  });

  it('rejects a request without Authorization with missing_headers', async () => {
    const answer = await listDevice({ Date: new Date(START).toUTCString() });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(refusal('missing_headers'));
  });

  it('rejects a request without Date with missing_headers', async () => {
    const { Authorization } = signedHeaders(START);
    const answer = await listDevice({ Authorization: Authorization! });
    expect(answer.body).toEqual(refusal('missing_headers'));
  });

  it('rejects a Date 16 minutes old with date_header_diff', async () => {
    const answer = await listDevice(signedHeaders(START - 16 * MINUTE));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(refusal('date_header_diff'));
  });

  it('rejects a Date 16 minutes ahead with date_header_diff', async () => {
    const answer = await listDevice(signedHeaders(START + 16 * MINUTE));
    expect(answer.body).toEqual(refusal('date_header_diff'));
  });

  it('accepts a Date 15 minutes off either way', async () => {
    const late = await listDevice(signedHeaders(START - 15 * MINUTE));
    await sandbox.close();
    const early = await listDevice(signedHeaders(START + 15 * MINUTE));
    expect([late.status, early.status]).toEqual([200, 200]);
  });

  it('judges the Date by its own clock, not the wall clock', async () => {
    const clock = manualClock();
    const headers = signedHeaders(START);
    clock.advance(20 * MINUTE);
    const answer = await listDevice(headers, clock);
    expect(answer.body).toEqual(refusal('date_header_diff'));
  });

  it('rejects a Date that is not an RFC 7231 date with date_header_diff', async () => {
    const date = new Date(START).toISOString();
    const answer = await listDevice({
      Date: date,
      Authorization: `algorithm="hmac-sha256",headers="date",signature="${hmacSignature(SANDBOX_SHARED_KEY, date)}",apikey="${SANDBOX_API_KEY}"`,
    });
    expect(answer.body).toEqual(refusal('date_header_diff'));
  });

  it.each([
    ['another scheme', 'Basic c2FuZGJveA=='],
    ['a missing apikey', 'algorithm="hmac-sha256",headers="date",signature="abc="'],
    ['unquoted values', 'algorithm=hmac-sha256,headers=date,signature=abc,apikey=k'],
    ['headers other than date', 'algorithm="hmac-sha256",headers="host",signature="a",apikey="k"'],
  ])('rejects an Authorization with %s as authorization_invalid_headers', async (_, value) => {
    const answer = await listDevice({ Date: new Date(START).toUTCString(), Authorization: value });
    expect(answer.body).toEqual(refusal('authorization_invalid_headers'));
  });

  it('rejects another algorithm with hmac_required', async () => {
    const { Date: date, Authorization } = signedHeaders(START);
    const answer = await listDevice({
      Date: date!,
      Authorization: Authorization!.replace('hmac-sha256', 'hmac-sha1'),
    });
    expect(answer.body).toEqual(refusal('hmac_required'));
  });
});
