import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentView } from '../../../../src/agent/agent-view.js';
import type { Logger } from '../../../../src/agent/ports.js';
import {
  startLocalApi,
  type LocalApi,
} from '../../../../src/adapters/http-api/local-api-server.js';
import { PAGE_CSP } from '../../../../src/adapters/http-api/status-page/page-style.js';
import { agentStatus, feature } from './status-fixture.js';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

const status = agentStatus();
const view: AgentView = {
  ready: () => true,
  decisions: () => status.decisions,
  feature: () => feature(),
  listedFeature: () => feature(),
  status: () => status,
};

const TOKEN = 'page-token-3c9e';
let open: LocalApi;
let guarded: LocalApi;

async function serve(token: string | null): Promise<LocalApi> {
  return startLocalApi({
    host: '127.0.0.1',
    port: 0,
    token,
    socket: null,
    view,
    metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
    refresh: () => Promise.reject(new Error('no refresh here')),
    monotonic: () => 0,
    log: silent,
  });
}

beforeAll(async () => {
  [open, guarded] = await Promise.all([serve(null), serve(TOKEN)]);
});
afterAll(async () => {
  await Promise.all([open.close(), guarded.close()]);
});

describe('GET /', () => {
  it('answers HTML a browser may only show: strict CSP, no sniffing, no referrer, no cache', async () => {
    const response = await request(`${open.url}/`);
    const body = await response.body.text();
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(body)),
    });
    expect(PAGE_CSP).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    expect(body).toContain('<code>device-0001</code>');
  });

  it('answers HEAD with the same headers and no body', async () => {
    const get = await request(`${open.url}/`);
    await get.body.text();
    const head = await request(`${open.url}/`, { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(await head.body.text()).toBe('');
    expect(head.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('needs the bearer token when http.token is set, like the rest of the API', async () => {
    const without = await request(`${guarded.url}/`);
    await without.body.text();
    expect(without.statusCode).toBe(401);
    const withToken = await request(`${guarded.url}/`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(withToken.statusCode).toBe(200);
    expect(await withToken.body.text()).toContain('device-0001');
  });

  it('is refused to a page that reached it by a rebound DNS name', async () => {
    const port = new URL(open.url).port;
    const response = await request(`${open.url}/`, {
      headers: { host: `rebind.attacker.example:${port}` },
    });
    await response.body.text();
    expect(response.statusCode).toBe(421);
  });

  it('takes no POST', async () => {
    const response = await request(`${open.url}/`, { method: 'POST' });
    await response.body.text();
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
  });
});
