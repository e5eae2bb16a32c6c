// What a web page in a browser on the device can make the local API do: DNS rebinding (a foreign
// name resolving to 127.0.0.1) and cross-site POSTs that need no CORS preflight.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, waitReady, type RunningCli } from './cli-process.js';
import { exchange, type Endpoint, type RawResponse } from './raw-http.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-browsers-'));
let agent: RunningCli;
let port: number;
const unix: Endpoint = { path: join(dir, 'agent.sock') };

beforeAll(async () => {
  writeFileSync(
    join(dir, 'agent.yaml'),
    [
      'device: { hardwareId: browser-device }',
      'stateDirectory: state',
      'licensespring: { baseUrl: sandbox }',
      'http: { port: 0, socket: { path: agent.sock } }',
    ].join('\n'),
  );
  agent = startCli(['run', '--config', join(dir, 'agent.yaml')]);
  const base = await agent.url();
  port = Number(new URL(base).port);
  await waitReady(base);
});
afterAll(async () => {
  await agent.stop();
});

/** One request, its head written out: these tests are about the exact headers sent. */
async function ask(
  method: 'GET' | 'POST',
  path: string,
  headers: readonly string[],
  body = '',
  endpoint: Endpoint = { port },
): Promise<{ status: number; code: unknown }> {
  const head = [`${method} ${path} HTTP/1.1`, ...headers, 'Connection: close'];
  if (body !== '') head.push(`Content-Length: ${String(Buffer.byteLength(body))}`);
  const bytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);
  const { responses } = await exchange(endpoint, bytes, { finish: 'end', timeoutMs: 30_000 });
  const response: RawResponse | undefined = responses[0];
  if (response === undefined) throw new Error(`no answer to ${method} ${path}`);
  const parsed = JSON.parse(response.body.toString('utf8')) as { error?: { code?: unknown } };
  return { status: response.status, code: parsed.error?.code };
}

const own = (): string => `Host: 127.0.0.1:${String(port)}`;

describe('DNS rebinding', () => {
  it('refuses a request that came by a name the agent does not go by, with a JSON 421', async () => {
    const answer = await ask('GET', '/v1/status', [
      `Host: rebind.attacker.example:${String(port)}`,
    ]);
    expect(answer).toEqual({ status: 421, code: 'misdirected_request' });
  });

  it('refuses a foreign name on the probes too', async () => {
    expect(await ask('GET', '/healthz', ['Host: attacker.example'])).toEqual({
      status: 421,
      code: 'misdirected_request',
    });
  });

  it('answers the loopback names, with or without the port, and no Host at all', async () => {
    for (const host of [
      `localhost:${String(port)}`,
      `LOCALHOST:${String(port)}`,
      `127.0.0.1:${String(port)}`,
      `[::1]:${String(port)}`,
      'localhost',
    ]) {
      expect((await ask('GET', '/v1/status', [`Host: ${host}`])).status, host).toBe(200);
    }
    expect((await ask('GET', '/v1/status', [])).status).toBe(200);
  });

  it('does not ask for a Host on the Unix socket, which no browser reaches', async () => {
    const answer = await ask('GET', '/v1/status', ['Host: attacker.example'], '', unix);
    expect(answer.status).toBe(200);
  });
});

describe('cross-site POSTs', () => {
  it('refuses a refresh from another origin with a JSON 403', async () => {
    const answer = await ask('POST', '/v1/refresh', [own(), 'Origin: https://attacker.example']);
    expect(answer).toEqual({ status: 403, code: 'cross_site_request' });
  });

  it('refuses a refresh from a sandboxed page (Origin: null)', async () => {
    const answer = await ask('POST', '/v1/refresh', [own(), 'Origin: null']);
    expect(answer).toEqual({ status: 403, code: 'cross_site_request' });
  });

  it('refuses a POST the browser marks as cross-site or same-site', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const answer = await ask(
        'POST',
        '/ofrep/v1/evaluate/flags',
        [own(), `Sec-Fetch-Site: ${site}`, 'Content-Type: application/json'],
        '{"context":{}}',
      );
      expect(answer, site).toEqual({ status: 403, code: 'cross_site_request' });
    }
  });

  it('refuses a refresh whose body is text/plain, which a page may send without a preflight', async () => {
    const answer = await ask('POST', '/v1/refresh', [own(), 'Content-Type: text/plain'], '{}');
    expect(answer).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it('refuses a refresh with a body and no Content-Type', async () => {
    const answer = await ask('POST', '/v1/refresh', [own()], 'x');
    expect(answer).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it("answers an OFREP POST from the agent's own origin", async () => {
    const answer = await ask(
      'POST',
      '/ofrep/v1/evaluate/flags',
      [
        own(),
        `Origin: http://127.0.0.1:${String(port)}`,
        'Sec-Fetch-Site: same-origin',
        'Content-Type: application/json',
      ],
      '{"context":{}}',
    );
    expect(answer.status).toBe(200);
  });

  it('still syncs on a bare POST with no body, as `curl -X POST` sends it', async () => {
    const response = await request(`http://127.0.0.1:${String(port)}/v1/refresh`, {
      method: 'POST',
    });
    await response.body.text();
    expect(response.statusCode).toBe(200);
  });
});
