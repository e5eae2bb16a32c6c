import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { trustAnchor } from '../../src/app/trust-anchor.js';
import { connectUpstream } from '../../src/app/upstream.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { ManualClock } from '../agent/fakes.js';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

let sandbox: Sandbox;
let proxy: Server;
let proxyUrl: string;
const proxied: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox();
  // A plain forward proxy on loopback: it receives absolute-URI requests and relays them.
  proxy = createServer((req, res) => {
    proxied.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const forward = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  // And tunnels CONNECT, which is how undici (and every client, for https) goes through a proxy.
  proxy.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    proxied.push(`CONNECT ${req.url ?? ''}`);
    const [host, port] = (req.url ?? '').split(':');
    const server = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      server.write(head);
      server.pipe(client);
      client.pipe(server);
    });
    server.on('error', () => client.destroy());
    client.on('error', () => server.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${String((proxy.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => proxy.close(resolve));
});
afterEach(() => {
  process.env = { ...saved };
  proxied.length = 0;
});

async function realServerConfig(): Promise<ResolvedConfig> {
  const config = await loadConfig({ path: 'config/agent.example.yaml', env: {} });
  return {
    ...config,
    upstream: {
      kind: 'licensespring',
      baseUrl: sandbox.url,
      auth: { method: 'hmac', ...sandbox.credentials },
      publicKeyPem: sandbox.publicKeyPem,
    },
  };
}

/** One `device_licenses` call through the upstream the agent builds from the environment. */
async function deviceLicensesThroughUpstream(hardwareId: string) {
  const config = await realServerConfig();
  const upstream = await connectUpstream(
    config,
    await trustAnchor(config),
    new ManualClock(Date.now()),
    silent,
  );
  try {
    return await upstream.api.deviceLicenses(hardwareId, new AbortController().signal);
  } finally {
    await upstream.close();
  }
}

describe('a configured licence server is reached through the standard proxy variables', () => {
  it('HTTP_PROXY carries the requests', async () => {
    process.env['HTTP_PROXY'] = proxyUrl;
    delete process.env['NO_PROXY'];
    const outcome = await deviceLicensesThroughUpstream('hw-proxy');
    expect(outcome.kind).toBe('genuine');
    const sandboxHost = new URL(sandbox.url).host;
    expect(proxied.length).toBeGreaterThan(0);
    for (const line of proxied) {
      expect([
        `CONNECT ${sandboxHost}`,
        `${sandbox.url}device_licenses?hardware_id=hw-proxy`,
      ]).toContain(line);
    }
  });

  it('NO_PROXY sends matching hosts direct', async () => {
    process.env['HTTP_PROXY'] = proxyUrl;
    process.env['NO_PROXY'] = '127.0.0.1';
    const outcome = await deviceLicensesThroughUpstream('hw-direct');
    expect(outcome.kind).toBe('genuine');
    expect(proxied).toEqual([]);
  });
});
