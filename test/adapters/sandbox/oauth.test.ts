import { describe, expect, it } from 'vitest';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from '../../../src/adapters/sandbox/credentials.js';
import type { Sandbox, SandboxOptions } from '../../../src/adapters/sandbox/sandbox-server.js';
import { apiUrl, manualClock, send, sandboxPerTest } from './sandbox-http.js';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

const sandboxes = sandboxPerTest();
let sandbox: Sandbox;
let clock: ReturnType<typeof manualClock>;

async function start(options: SandboxOptions = {}) {
  clock = manualClock();
  sandbox = await sandboxes.start({ now: clock.now, ...options });
}

function tokenRequest(fields: Record<string, string>, headers: Record<string, string> = FORM) {
  return send(sandbox.tokenUrl, {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields).toString(),
  });
}

function clientCredentials(secret = SANDBOX_CLIENT_SECRET) {
  return tokenRequest({
    grant_type: 'client_credentials',
    client_id: SANDBOX_CLIENT_ID,
    client_secret: secret,
  });
}

async function listWithToken(token: string) {
  return send(apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' }), {
    headers: { Date: new Date(clock.now()).toUTCString(), Authorization: `Bearer ${token}` },
  });
}

describe('sandbox OAuth', () => {
  it('issues a bearer token for its client credentials, as an OpenID Connect token endpoint', async () => {
    await start();
    const answer = await clientCredentials();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 480 });
    expect(answer.body.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('issues a different random token each time', async () => {
    await start();
    const [first, second] = await Promise.all([clientCredentials(), clientCredentials()]);
    expect(first.body.access_token).not.toBe(second.body.access_token);
  });

  it('accepts client credentials sent with HTTP Basic', async () => {
    await start();
    const basic = Buffer.from(`${SANDBOX_CLIENT_ID}:${SANDBOX_CLIENT_SECRET}`).toString('base64');
    const answer = await tokenRequest(
      { grant_type: 'client_credentials' },
      { ...FORM, Authorization: `Basic ${basic}` },
    );
    expect(answer.status).toBe(200);
  });

  it('refuses a wrong client secret with 401 invalid_client, as Keycloak does', async () => {
    await start();
    const answer = await clientCredentials('wrong');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('refuses another grant type with unsupported_grant_type', async () => {
    await start();
    const answer = await tokenRequest({
      grant_type: 'password',
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    });
    expect([answer.status, answer.body.error]).toEqual([400, 'unsupported_grant_type']);
  });

  it('refuses a body that is not form-encoded with invalid_request', async () => {
    await start();
    const answer = await tokenRequest(
      { grant_type: 'client_credentials' },
      { 'Content-Type': 'application/json' },
    );
    expect([answer.status, answer.body.error]).toEqual([400, 'invalid_request']);
  });

  it('accepts a License API request with an issued token', async () => {
    await start();
    const token = (await clientCredentials()).body.access_token;
    const answer = await listWithToken(token);
    expect(answer.status).toBe(200);
    expect(sandbox.requests().at(-1)?.auth).toBe('bearer');
  });

  it('accepts a token until the last second of its life', async () => {
    await start();
    const token = (await clientCredentials()).body.access_token;
    clock.advance(479_000);
    expect((await listWithToken(token)).status).toBe(200);
  });

  it('refuses a token once it has expired by its clock with 401 unauthorized', async () => {
    await start();
    const token = (await clientCredentials()).body.access_token;
    clock.advance(480_000);
    const answer = await listWithToken(token);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ status: 401, code: 'unauthorized', message: expect.any(String) });
    expect(answer.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('refuses a token it never issued with 401 unauthorized', async () => {
    await start();
    const answer = await listWithToken('forged-token');
    expect([answer.status, answer.body.code]).toEqual([401, 'unauthorized']);
  });

  it('uses the client and token lifetime it is started with', async () => {
    await start({ oauth: { clientId: 'c', clientSecret: 's', tokenTtlSeconds: 60 } });
    const answer = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'c',
      client_secret: 's',
    });
    expect(answer.body.expires_in).toBe(60);
    clock.advance(60_000);
    expect((await listWithToken(answer.body.access_token)).status).toBe(401);
    expect((await clientCredentials()).status).toBe(401);
  });

  it('still requires a Date beside a bearer token', async () => {
    await start();
    const token = (await clientCredentials()).body.access_token;
    const answer = await send(apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' }), {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(answer.body.code).toBe('missing_headers');
  });
});
