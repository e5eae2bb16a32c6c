import { statSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, runCli, startCli, waitReady, type RunningCli } from './cli-process.js';
import { exchange } from './raw-http.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-api-'));
const socketPath = join(dir, 'agent.sock');
const TOKEN = 'local-api-token-7f3a9c';
let agent: RunningCli;
let base: string;

beforeAll(async () => {
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(
    join(dir, 'agent.yaml'),
    [
      'device: { hardwareId: api-device }',
      'stateDirectory: state',
      'licensespring: { baseUrl: sandbox }',
      'policy: { whenUnknown: { default: fail-closed, features: { opc-ua-connector: fail-open } } }',
      `http: { port: 0, token: { file: token }, socket: { path: agent.sock, mode: '0600' } }`,
    ].join('\n'),
  );
  agent = startCli(['run', '--config', join(dir, 'agent.yaml')]);
  base = await agent.url();
  await waitReady(base);
});
afterAll(async () => {
  await agent.stop();
});

const withToken = { authorization: `Bearer ${TOKEN}` };
async function call(
  path: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string> } = {},
) {
  const response = await request(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(text) };
}

/** Finished sync cycles that ended `ok`, as /metrics counts them. */
async function okSyncRuns(): Promise<number> {
  const response = await request(`${base}/metrics`, { headers: withToken });
  const text = await response.body.text();
  const count = /^license_agent_sync_runs_total\{result="ok"\} (\d+)$/m.exec(text)?.[1];
  if (count === undefined) throw new Error('no license_agent_sync_runs_total{result="ok"} sample');
  return Number(count);
}

describe('the local API with a token and a Unix socket', () => {
  it('asks TCP clients for the bearer token', async () => {
    const refused = await call('/v1/features/reporting');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect(
      (await call('/v1/features/reporting', { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
    const allowed = await call('/v1/features/reporting', { headers: withToken });
    expect(allowed.body).toMatchObject({ code: 'reporting', allowed: true });
  });

  it('leaves the probes open for the supervisor', async () => {
    expect((await getJson(`${base}/healthz`)).status).toBe(200);
    expect((await getJson(`${base}/readyz`)).status).toBe(200);
  });

  it('serves the same API on the Unix socket, guarded by its file mode instead of a token', async () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    const dispatcher = new Agent({ connect: { socketPath } });
    try {
      const response = await request('http://localhost/v1/features/reporting', { dispatcher });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toMatchObject({ code: 'reporting', allowed: true });
    } finally {
      await dispatcher.close();
    }
  });

  it('POST /v1/refresh syncs and answers when the sync is done, then holds off repeats', async () => {
    // The boot sync may still be saving its state; the refresh then waits for it and syncs again.
    const before = (await call('/v1/status', { headers: withToken })).body;
    const runsBefore = await okSyncRuns();
    const first = await call('/v1/refresh', { method: 'POST', headers: withToken });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ result: 'ok', deviceLicenses: 'genuine' });
    expect(await okSyncRuns()).toBe(runsBefore + 1);
    expect(Date.parse(first.body.finishedAt)).toBeGreaterThan(
      Date.parse(before.sync.last.finishedAt),
    );
    const second = await call('/v1/refresh', { method: 'POST', headers: withToken });
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('rate_limited');
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('turns away oversized headers with a JSON 431', async () => {
    const answer = await rawRequest(
      `GET /v1/features/reporting HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({
      error: { code: 'headers_too_large' },
    });
  });

  it('answers bytes that are not HTTP with a JSON 400', async () => {
    const answer = await rawRequest('\x16\x03\x01 this is not http\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({
      error: { code: 'bad_request' },
    });
  });

  it('answers pipelined requests that wait for their bodies before the error for junk after them', async () => {
    const body = '{"context":{}}';
    const ofrep = (key: string) =>
      `POST /ofrep/v1/evaluate/flags/${key} HTTP/1.1\r\nHost: x\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${String(body.length)}\r\n\r\n${body}`;
    // One write: the parser meets the junk before either body's answer is sent.
    const bytes = Buffer.from(`${ofrep('reporting')}${ofrep('smuggled')}\x01junk\r\n\r\n`);
    const { responses, end } = await exchange({ path: socketPath }, bytes, {
      finish: 'end',
      timeoutMs: 5_000,
    });
    expect(end).toBe('closed');
    expect(responses.map((r) => r.status)).toEqual([200, 404, 400]);
    expect(JSON.parse(responses[0]!.body.toString())).toMatchObject({
      key: 'reporting',
      value: true,
    });
    expect(JSON.parse(responses[1]!.body.toString())).toMatchObject({
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(JSON.parse(responses[2]!.body.toString())).toMatchObject({
      error: { code: 'bad_request' },
    });
  });

  it('refuses a body over 64 KiB with a JSON 413', async () => {
    const response = await request(`${base}/v1/refresh`, {
      method: 'POST',
      headers: { ...withToken, 'content-type': 'application/json' },
      body: `{"pad":"${'x'.repeat(70_000)}"}`,
    });
    expect(response.statusCode).toBe(413);
    expect(await response.body.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });
});

describe('starting beyond loopback', () => {
  it('is refused without a token', () => {
    const config = join(dir, 'open.yaml');
    writeFileSync(
      config,
      `stateDirectory: state-open\nlicensespring: { baseUrl: sandbox }\nhttp: { host: 0.0.0.0, port: 0 }`,
    );
    const result = runCli(['run', '--config', config]);
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(
      /http\.token: is required when http\.host \(0\.0\.0\.0\) is not a loopback address/,
    );
  });
});

function rawRequest(text: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => {
      resolve(answer);
    });
    socket.on('error', reject);
  });
}

describe('before any answer, with the licence server unreachable', () => {
  it('answers each feature by its fail policy, and says so', async () => {
    const config = join(dir, 'unreachable.yaml');
    writeFileSync(
      config,
      [
        'device: { hardwareId: lonely-device }',
        'stateDirectory: state-unreachable',
        'licensespring:',
        '  baseUrl: http://127.0.0.1:1/api/v4/',
        '  insecure: { allowPlainHttp: true }',
        '  auth: { method: hmac, apiKey: { value: k }, sharedKey: { value: s } }',
        'sync: { attempts: 1 }',
        'policy: { whenUnknown: { default: fail-closed, features: { opc-ua-connector: fail-open } } }',
        'http: { port: 0 }',
      ].join('\n'),
    );
    const lonely = startCli(['run', '--config', config]);
    try {
      const url = await lonely.url();
      expect((await getJson(`${url}/readyz`)).status).toBe(503);
      expect((await getJson(`${url}/v1/features/opc-ua-connector`)).body).toMatchObject({
        allowed: true,
        state: 'unknown',
        reason: 'no_genuine_answer',
        policy: 'fail-open',
      });
      expect((await getJson(`${url}/v1/features/reporting`)).body).toMatchObject({
        allowed: false,
        state: 'unknown',
        policy: 'fail-closed',
      });
    } finally {
      await lonely.stop();
    }
  });
});
