import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { apiUrl, manualClock, send, signedHeaders, START, sandboxPerTest } from './sandbox-http.js';

const sandboxes = sandboxPerTest();
let sandbox: Sandbox;

async function start() {
  sandbox = await sandboxes.start({ now: manualClock().now });
}

describe('sandbox routing', () => {
  it('serves the License API under /api/v4/ on loopback', async () => {
    await start();
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v4\/$/);
    expect(sandbox.tokenUrl.startsWith(sandbox.origin)).toBe(true);
  });

  it('answers an unknown path with 404 JSON', async () => {
    await start();
    const answer = await send(apiUrl(sandbox.url, 'licenses'), { headers: signedHeaders(START) });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ status: 404, code: 'not_found', message: expect.any(String) });
  });

  it('answers another method on a License API path with 405 JSON', async () => {
    await start();
    const answer = await send(apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' }), {
      method: 'POST',
      headers: signedHeaders(START),
      body: '',
    });
    expect(answer.status).toBe(405);
    expect(answer.headers['allow']).toBe('GET');
    expect(answer.body).toEqual({
      status: 405,
      code: 'method_not_allowed',
      message: expect.any(String),
    });
  });

  it('answers GET on the token endpoint with 405 JSON', async () => {
    await start();
    const answer = await send(sandbox.tokenUrl);
    expect([answer.status, answer.headers['allow']]).toEqual([405, 'POST']);
  });

  it('records each request: method, path, query, auth outcome, status and code', async () => {
    await start();
    await send(apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' }), {
      headers: signedHeaders(START),
    });
    await send(apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-2' }));
    await send(apiUrl(sandbox.url, 'nowhere'));
    expect(sandbox.requests()).toEqual([
      {
        method: 'GET',
        path: '/api/v4/device_licenses',
        query: { hardware_id: 'hw-1' },
        auth: 'hmac',
        status: 200,
        code: null,
      },
      {
        method: 'GET',
        path: '/api/v4/device_licenses',
        query: { hardware_id: 'hw-2' },
        auth: 'rejected',
        status: 400,
        code: 'missing_headers',
      },
      {
        method: 'GET',
        path: '/api/v4/nowhere',
        query: {},
        auth: 'none',
        status: 404,
        code: 'not_found',
      },
    ]);
  });

  it('lets its port go on close', async () => {
    await start();
    const url = apiUrl(sandbox.url, 'device_licenses', { hardware_id: 'hw-1' });
    await send(url, { headers: signedHeaders(START) });
    await sandbox.close();
    await expect(send(url, { headers: signedHeaders(START) })).rejects.toThrow();
  });
});
