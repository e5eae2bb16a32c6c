import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/agent/ports.js';
import { startLocalApi, type LocalApi } from '../../../src/adapters/http-api/local-api-server.js';
import { ofrepRoutes } from '../../../src/adapters/http-api/ofrep-routes.js';
import { startSandbox, type Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { startAgent, type RunningAgent } from '../../../src/app/start-agent.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { ResolvedConfig } from '../../../src/config/resolved-config.js';
import { noMachine } from '../../agent/fakes.js';
import { trickle } from '../../e2e/raw-http.js';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

interface OfrepAgent {
  readonly agent: RunningAgent;
  readonly api: LocalApi;
  /** An OpenFeature client on the real OFREP provider, pointed at `api.url`. */
  readonly client: Client;
  stop(): Promise<void>;
}

/**
 * A real agent, and in front of its view a local API that serves OFREP, as the composition root
 * will once it passes `extraRoutes`. Each agent gets its own OpenFeature domain.
 */
async function startOfrepAgent(
  domain: string,
  adjust: (base: ResolvedConfig) => Partial<ResolvedConfig>,
): Promise<OfrepAgent> {
  const base = await loadConfig({ path: 'config/agent.example.yaml', env: {} });
  const stateDirectory = await mkdtemp(join(tmpdir(), 'ela-ofrep-'));
  const config: ResolvedConfig = {
    ...base,
    stateDirectory,
    hardwareIdOverride: `ofrep-${domain}`,
    http: { ...base.http, port: 0 },
    log: { level: 'silent' },
    ...adjust(base),
  };
  const agent = await startAgent(config, {
    scheduler: { every: () => ({ stop: () => undefined }) },
    systemFacts: noMachine,
  });
  const api = await startLocalApi({
    host: '127.0.0.1',
    port: 0,
    token: null,
    socket: null,
    view: agent.view,
    metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
    refresh: () => agent.refresh(),
    monotonic: () => performance.now(),
    extraRoutes: ofrepRoutes(agent.view),
    log: silent,
  });
  // The provider configuration README shows: the agent's URL, no trailing slash.
  await OpenFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl: api.url }));
  return {
    agent,
    api,
    client: OpenFeature.getClient(domain),
    stop: async () => {
      await api.close();
      // stop() does not wait for a sync in flight, which may still save into the directory after
      // it returns: join that sync first.
      await agent.refresh().catch(() => undefined);
      await agent.stop();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}

function sandboxUpstream(sandbox: Sandbox): ResolvedConfig['upstream'] {
  return {
    kind: 'licensespring',
    baseUrl: sandbox.url,
    auth: { method: 'hmac', ...sandbox.credentials },
    publicKeyPem: sandbox.publicKeyPem,
  };
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await OpenFeature.close();
  await sandbox.close();
});

describe('OFREP against an agent that holds the sandbox licences', () => {
  let a: OfrepAgent;

  beforeAll(async () => {
    a = await startOfrepAgent('licensed', () => ({
      upstream: sandboxUpstream(sandbox),
      features: ['never-licensed-configured'],
    }));
    await a.agent.refresh();
  });

  afterAll(async () => {
    await a.stop();
  });

  it('resolves a licensed feature as true, STATIC, with the licence in its metadata', async () => {
    const details = await a.client.getBooleanDetails('reporting', false);
    expect(details).toMatchObject({
      flagKey: 'reporting',
      value: true,
      variant: 'on',
      reason: 'STATIC',
      flagMetadata: { state: 'active', reason: 'licensed', licenseId: 1_700_000_000_000_101 },
    });
    expect(details.errorCode).toBeUndefined();
    expect(details.flagMetadata.lastVerifiedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('carries a feature expiry in its metadata as ISO 8601', async () => {
    const details = await a.client.getBooleanDetails('analytics', false);
    expect(details.value).toBe(true);
    expect(details.flagMetadata.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('resolves a feature of an expired licence as false, DISABLED, whatever the default', async () => {
    const details = await a.client.getBooleanDetails('legacy-export', true);
    expect(details).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DISABLED',
      flagMetadata: { state: 'expired', reason: 'license_expired' },
    });
    expect(details.errorCode).toBeUndefined();
  });

  it('resolves a configured feature no licence carries as false, not as not found', async () => {
    const details = await a.client.getBooleanDetails('never-licensed-configured', true);
    expect(details).toMatchObject({
      value: false,
      reason: 'DISABLED',
      flagMetadata: { state: 'denied', reason: 'not_licensed' },
    });
    expect(details.flagMetadata).not.toHaveProperty('licenseId');
  });

  it('answers FLAG_NOT_FOUND for a feature the device has never had, and the client gets its default', async () => {
    const details = await a.client.getBooleanDetails('no-such-feature', true);
    expect(details).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    const raw = await post(`${a.api.url}/ofrep/v1/evaluate/flags/no-such-feature`, '{}');
    expect(raw.status).toBe(404);
    expect(raw.json()).toMatchObject({ key: 'no-such-feature', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('answers a type mismatch when a licence feature is asked for as a string', async () => {
    const details = await a.client.getStringDetails('reporting', 'fallback');
    expect(details).toMatchObject({ value: 'fallback', errorCode: 'TYPE_MISMATCH' });
  });

  it('ignores the evaluation context: a licence belongs to the device', async () => {
    const details = await a.client.getBooleanDetails('reporting', false, {
      targetingKey: 'someone',
      plant: 'north',
    });
    expect(details).toMatchObject({ value: true, reason: 'STATIC' });
  });

  it('answers PARSE_ERROR with 400 for a body that is not JSON', async () => {
    const raw = await post(`${a.api.url}/ofrep/v1/evaluate/flags/reporting`, '{"context":');
    expect(raw.status).toBe(400);
    expect(raw.headers['content-type']).toMatch(/^application\/json/);
    expect(raw.json()).toMatchObject({ key: 'reporting', errorCode: 'PARSE_ERROR' });
  });

  it.each([
    ['a string', '{"context":"plant-north"}'],
    ['an array', '{"context":[]}'],
    ['null', '{"context":null}'],
  ])('answers INVALID_CONTEXT with 400 when context is %s', async (_name, body) => {
    const raw = await post(`${a.api.url}/ofrep/v1/evaluate/flags/reporting`, body);
    expect(raw.status).toBe(400);
    expect(raw.json()).toMatchObject({ key: 'reporting', errorCode: 'INVALID_CONTEXT' });
  });

  it('judges each body on its own, though the last valid one is remembered', async () => {
    const url = `${a.api.url}/ofrep/v1/evaluate/flags/reporting`;
    // The same length as the valid body, one byte apart: only the bytes tell them apart.
    const statuses = [];
    for (const body of ['{"context":{}}', '{"context":{}}', '{"context":[]}', '{"context":{}}'])
      statuses.push((await post(url, body)).status);
    expect(statuses).toEqual([200, 200, 400, 200]);
    expect((await post(url, '{"context":[]}')).json()).toMatchObject({
      errorCode: 'INVALID_CONTEXT',
    });
  });

  it.each([
    ['with a Content-Length', 'Content-Length: 14', '{"context":[]}'],
    ['chunked', 'Transfer-Encoding: chunked', '3\r\n{"c\r\nb\r\nontext":[]}\r\n0\r\n\r\n'],
  ])(
    'judges a body sent a byte at a time, %s, only once all of it has come',
    async (_name, framing, body) => {
      // Every prefix of this body is broken JSON: an answer before its last byte says PARSE_ERROR.
      const head =
        'POST /ofrep/v1/evaluate/flags/reporting HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Content-Type: application/json\r\n${framing}\r\nConnection: close\r\n\r\n`;
      const { responses } = await trickle(
        { port: Number(new URL(a.api.url).port) },
        Buffer.from(head + body),
        { intervalMs: 2, timeoutMs: 5_000 },
      );
      expect(responses).toHaveLength(1);
      expect(responses[0]!.status).toBe(400);
      expect(JSON.parse(responses[0]!.body.toString())).toMatchObject({
        errorCode: 'INVALID_CONTEXT',
      });
    },
  );

  it('answers PARSE_ERROR for a body that is JSON but not an object', async () => {
    const raw = await post(`${a.api.url}/ofrep/v1/evaluate/flags/reporting`, '[1]');
    expect(raw.status).toBe(400);
    expect(raw.json()).toMatchObject({ errorCode: 'PARSE_ERROR' });
  });

  it('evaluates with an empty body, as the context is optional', async () => {
    const raw = await post(`${a.api.url}/ofrep/v1/evaluate/flags/reporting`, '');
    expect(raw.status).toBe(200);
    expect(raw.json()).toMatchObject({ key: 'reporting', value: true, reason: 'STATIC' });
  });

  it('answers 405 with a JSON error for GET on an OFREP path', async () => {
    const response = await request(`${a.api.url}/ofrep/v1/evaluate/flags/reporting`);
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(await response.body.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('evaluates every feature in bulk, with an ETag', async () => {
    const raw = await post(`${a.api.url}/ofrep/v1/evaluate/flags`, '{"context":{}}');
    expect(raw.status).toBe(200);
    expect(raw.headers.etag).toMatch(/^"[\w-]+"$/);
    const flags = raw.json().flags as Record<string, unknown>[];
    const keys = flags.map((f) => f.key);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(
      expect.arrayContaining([
        'analytics',
        'legacy-export',
        'never-licensed-configured',
        'reporting',
      ]),
    );
    expect(keys).not.toContain('no-such-feature');
    expect(flags.find((f) => f.key === 'reporting')).toMatchObject({
      value: true,
      reason: 'STATIC',
      variant: 'on',
      metadata: { state: 'active' },
    });
    expect(flags.find((f) => f.key === 'legacy-export')).toMatchObject({
      value: false,
      reason: 'DISABLED',
    });
  });

  it('answers 304 with no body when If-None-Match names the current ETag', async () => {
    const first = await post(`${a.api.url}/ofrep/v1/evaluate/flags`, '{}');
    const etag = String(first.headers.etag);
    const again = await post(`${a.api.url}/ofrep/v1/evaluate/flags`, '{}', {
      'if-none-match': `"other", W/${etag}`,
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(etag);

    const stale = await post(`${a.api.url}/ofrep/v1/evaluate/flags`, '{}', {
      'if-none-match': '"not-the-current-one"',
    });
    expect(stale.status).toBe(200);
    expect(stale.headers.etag).toBe(etag);
  });

  it('serves a client that sends the bearer token when the API asks for one', async () => {
    const guarded = await startLocalApi({
      host: '127.0.0.1',
      port: 0,
      token: 'ofrep-test-token',
      socket: null,
      view: a.agent.view,
      metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
      refresh: () => a.agent.refresh(),
      monotonic: () => performance.now(),
      extraRoutes: ofrepRoutes(a.agent.view),
      log: silent,
    });
    try {
      await OpenFeature.setProviderAndWait(
        'guarded',
        new OFREPProvider({
          baseUrl: guarded.url,
          headers: { Authorization: 'Bearer ofrep-test-token' },
        }),
      );
      await OpenFeature.setProviderAndWait('no-token', new OFREPProvider({ baseUrl: guarded.url }));
      expect(await OpenFeature.getClient('guarded').getBooleanValue('reporting', false)).toBe(true);
      const refused = await OpenFeature.getClient('no-token').getBooleanDetails('reporting', false);
      expect(refused).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'GENERAL' });
    } finally {
      await guarded.close();
    }
  });

  it('answers a bulk PARSE_ERROR with 400 and no key', async () => {
    const raw = await post(`${a.api.url}/ofrep/v1/evaluate/flags`, 'not json');
    expect(raw.status).toBe(400);
    expect(raw.json()).toEqual({ errorCode: 'PARSE_ERROR', errorDetails: expect.any(String) });
  });
});

describe('OFREP before the agent has any genuine answer', () => {
  let b: OfrepAgent;

  beforeAll(async () => {
    b = await startOfrepAgent('unreachable', (base) => ({
      // Nothing listens on port 1: the agent never hears from a server and has no saved state.
      upstream: {
        kind: 'licensespring',
        baseUrl: 'http://127.0.0.1:1/api/v4/',
        auth: { method: 'hmac', apiKey: 'x', sharedKey: 'y' },
        publicKeyPem: null,
      },
      sync: { ...base.sync, attempts: 1 },
      features: ['reporting'],
      policy: {
        whenUnknown: { default: 'fail-closed', features: { 'opc-ua-connector': 'fail-open' } },
      },
    }));
  });

  afterAll(async () => {
    await b.stop();
  });

  it('resolves a feature as the fail-closed default, DEFAULT, with the state unknown', async () => {
    const details = await b.client.getBooleanDetails('reporting', true);
    expect(details).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DEFAULT',
      flagMetadata: { state: 'unknown', reason: 'no_genuine_answer', policy: 'fail-closed' },
    });
    expect(details.errorCode).toBeUndefined();
  });

  it('resolves a fail-open feature as true, still DEFAULT and unknown', async () => {
    const details = await b.client.getBooleanDetails('opc-ua-connector', false);
    expect(details).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'DEFAULT',
      flagMetadata: { state: 'unknown', policy: 'fail-open' },
    });
  });

  it('does not call an unheard-of feature not found while it cannot know', async () => {
    const details = await b.client.getBooleanDetails('no-such-feature', true);
    expect(details).toMatchObject({
      value: false,
      reason: 'DEFAULT',
      flagMetadata: { state: 'unknown', policy: 'fail-closed' },
    });
    expect(details.errorCode).toBeUndefined();
  });

  it('lists only configured features in bulk', async () => {
    const raw = await post(`${b.api.url}/ofrep/v1/evaluate/flags`, '{}');
    expect(raw.status).toBe(200);
    expect(raw.json()).toEqual({
      flags: [
        {
          key: 'reporting',
          value: false,
          reason: 'DEFAULT',
          variant: 'off',
          metadata: { state: 'unknown', reason: 'no_genuine_answer', policy: 'fail-closed' },
        },
      ],
    });
  });
});

describe('OFREP after POST /v1/refresh', () => {
  let c: OfrepAgent;

  beforeAll(async () => {
    c = await startOfrepAgent('refreshed', () => ({ upstream: sandboxUpstream(sandbox) }));
    await c.agent.refresh();
  });

  afterAll(async () => {
    sandbox.clearRefusals();
    await c.stop();
  });

  it('sees a feature turned off once the server refuses the device and the agent refreshes', async () => {
    expect(await c.client.getBooleanValue('reporting', false)).toBe(true);
    const bulkBefore = await post(`${c.api.url}/ofrep/v1/evaluate/flags`, '{}');

    sandbox.refuseDevice(c.agent.hardwareId);
    const refreshed = await request(`${c.api.url}/v1/refresh`, { method: 'POST' });
    await refreshed.body.dump();
    expect(refreshed.statusCode).toBe(200);

    const details = await c.client.getBooleanDetails('reporting', false);
    expect(details).toMatchObject({
      value: false,
      reason: 'DISABLED',
      flagMetadata: { state: 'denied', reason: 'device_blacklisted' },
    });
    // The agent knows the server refuses the device, not that the feature never existed.
    expect(details.errorCode).toBeUndefined();

    const bulkAfter = await post(`${c.api.url}/ofrep/v1/evaluate/flags`, '{}', {
      'if-none-match': String(bulkBefore.headers.etag),
    });
    expect(bulkAfter.status).toBe(200);
    expect(bulkAfter.headers.etag).not.toBe(bulkBefore.headers.etag);
  });
});
