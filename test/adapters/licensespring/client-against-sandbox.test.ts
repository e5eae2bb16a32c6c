import { getEventListeners } from 'node:events';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hmacAuthenticator,
  oauthAuthenticator,
} from '../../../src/adapters/licensespring/authenticator.js';
import { licenseBinding } from '../../../src/adapters/licensespring/license-signature.js';
import { createLicenseApiClient } from '../../../src/adapters/licensespring/license-api-client.js';
import { startSandbox, type Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { MINUTE } from '../../../src/domain/time.js';
import { ManualClock } from '../../agent/fakes.js';

const START = Date.parse('2026-03-01T09:00:00Z');
const HWID = 'test-device-0001';
let sandbox: Sandbox;
let sandboxClock: ManualClock;
const dispatcher = new Agent();
const signal = new AbortController().signal;

beforeAll(async () => {
  sandboxClock = new ManualClock(START);
  sandbox = await startSandbox({ now: () => sandboxClock.now() });
});
afterAll(async () => {
  await sandbox.close();
  await dispatcher.close();
});

function client(
  options: { sharedKey?: string; clockAt?: number; baseUrl?: string; publicKeyPem?: string } = {},
) {
  const clock = new ManualClock(options.clockAt ?? sandboxClock.now());
  return createLicenseApiClient({
    baseUrl: options.baseUrl ?? sandbox.url,
    authenticator: hmacAuthenticator(
      sandbox.credentials.apiKey,
      options.sharedKey ?? sandbox.credentials.sharedKey,
      clock,
    ),
    publicKey: createPublicKey(options.publicKeyPem ?? sandbox.publicKeyPem),
    clock,
    timeoutMs: 5_000,
    dispatcher,
  });
}

describe('the agent and the sandbox speak the same protocol', () => {
  it("the agent's signed requests are accepted and its answers are genuine", async () => {
    const outcome = await client().deviceLicenses(HWID, signal);
    expect(outcome.kind).toBe('genuine');
    const last = sandbox.requests().at(-1);
    expect(last).toMatchObject({ auth: 'hmac', status: 200 });
  });

  it('the sandbox signs each licence for the device that asked, as the vendor does, and the agent verifies it', async () => {
    const outcome = await client().deviceLicenses(HWID, signal);
    expect(outcome.kind).toBe('genuine');
    const licenses = JSON.parse(outcome.kind === 'genuine' ? outcome.evidence.body : '[]') as {
      license_signature?: string;
    }[];
    expect(licenses.length).toBeGreaterThan(0);
    for (const license of licenses) {
      expect(licenseBinding([license], HWID, createPublicKey(sandbox.publicKeyPem))).toBe('bound');
      expect(
        licenseBinding([license], 'another-device', createPublicKey(sandbox.publicKeyPem)),
      ).toBe('foreign');
    }
  });

  it('a wrong shared key is rejected by the sandbox, and the agent reads it as a rejection', async () => {
    const outcome = await client({ sharedKey: 'not-the-shared-key' }).deviceLicenses(HWID, signal);
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'signature_mismatch', status: 400 });
  });

  it('a Date 16 minutes stale is rejected as date_header_diff', async () => {
    const stale = sandboxClock.now() - 16 * MINUTE;
    const outcome = await client({ clockAt: stale }).deviceLicenses(HWID, signal);
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'date_header_diff' });
  });

  it('an answer signed by a key other than the configured one is not genuine', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const pem = stranger.export({ type: 'spki', format: 'pem' }).toString();
    const outcome = await client({ publicKeyPem: pem }).deviceLicenses(HWID, signal);
    expect(outcome).toEqual({ kind: 'not-genuine', reason: 'bad_signature' });
  });

  it('a refused feature check carries the documented reason', async () => {
    sandbox.refuseFeature('reporting', 'license_not_enabled');
    try {
      const licenses = await client().deviceLicenses(HWID, signal);
      if (licenses.kind !== 'genuine') throw new Error('no licences');
      const lic = licenses.value.find((l) => l.features.some((f) => f.code === 'reporting'));
      const outcome = await client().checkFeature(
        {
          licenseKey: lic!.key!,
          hardwareId: HWID,
          product: lic!.productCode,
          feature: 'reporting',
          licenseId: lic!.id,
        },
        signal,
      );
      expect(outcome).toMatchObject({
        kind: 'refused',
        code: 'license_disabled',
        upstreamCode: 'license_not_enabled',
      });
    } finally {
      sandbox.clearRefusals();
    }
  });

  it('a blacklisted device is refused, not unreachable', async () => {
    sandbox.refuseDevice('banned-device');
    const outcome = await client().deviceLicenses('banned-device', signal);
    expect(outcome).toMatchObject({ kind: 'refused', code: 'device_blacklisted' });
  });

  it('a refused connection is unreachable, not a refusal', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await client({
      baseUrl: `http://127.0.0.1:${String(port)}/api/v4/`,
    }).deviceLicenses(HWID, signal);
    expect(outcome).toMatchObject({ kind: 'unreachable', cause: 'connection_refused' });
  });

  it('leaves nothing on the caller’s long-lived signal, answered or failed', async () => {
    const lifetime = new AbortController().signal;
    await client().deviceLicenses(HWID, lifetime);
    await client({ sharedKey: 'not-the-shared-key' }).deviceLicenses(HWID, lifetime);
    await client({ baseUrl: 'http://127.0.0.1:9/api/v4/' }).deviceLicenses(HWID, lifetime);
    expect(getEventListeners(lifetime, 'abort')).toHaveLength(0);
  });
});

describe('a tampered answer is never trusted', () => {
  let proxy: Server;
  let proxyUrl: string;
  let tamper: (headers: Record<string, string | string[] | undefined>, body: string) => string = (
    _h,
    b,
  ) => b;

  beforeAll(async () => {
    // A loopback man in the middle that forwards to the sandbox and edits what comes back.
    proxy = createServer((req, res) => {
      const upstream = new URL(req.url ?? '/', sandbox.origin);
      const forward = httpRequest(
        upstream,
        { method: req.method, headers: req.headers },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () => {
            const headers = { ...answer.headers };
            const body = tamper(headers, Buffer.concat(chunks).toString('utf8'));
            delete headers['content-length'];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(body);
          });
        },
      );
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${String((proxy.address() as AddressInfo).port)}/api/v4/`;
  });
  afterAll(() => new Promise((resolve) => proxy.close(resolve)));

  it('an untouched answer through the proxy is genuine', async () => {
    tamper = (_h, b) => b;
    expect((await client({ baseUrl: proxyUrl }).deviceLicenses(HWID, signal)).kind).toBe('genuine');
  });

  it('a flipped byte in LicenseSignature makes the answer not genuine', async () => {
    tamper = (headers, body) => {
      const signature = String(headers['licensesignature']);
      const flipped = signature.startsWith('A')
        ? `B${signature.slice(1)}`
        : `A${signature.slice(1)}`;
      headers['licensesignature'] = flipped;
      return body;
    };
    const outcome = await client({ baseUrl: proxyUrl }).deviceLicenses(HWID, signal);
    expect(outcome).toEqual({ kind: 'not-genuine', reason: 'bad_signature' });
  });

  it('a validity extended in transit makes the answer not genuine', async () => {
    let edited = false;
    tamper = (_h, body) => {
      const extended = body.replace(/"validity_period":"\d{4}/g, '"validity_period":"2099');
      edited = extended !== body;
      return extended;
    };
    const outcome = await client({ baseUrl: proxyUrl }).deviceLicenses(HWID, signal);
    expect(edited).toBe(true);
    expect(outcome).toEqual({ kind: 'not-genuine', reason: 'bad_signature' });
  });

  it('a stripped signature makes the answer not genuine', async () => {
    tamper = (headers, body) => {
      delete headers['licensesignature'];
      return body;
    };
    const outcome = await client({ baseUrl: proxyUrl }).deviceLicenses(HWID, signal);
    expect(outcome).toEqual({ kind: 'not-genuine', reason: 'missing_signature' });
  });
});

describe('OAuth client credentials', () => {
  function oauthClient(clock: ManualClock, clientSecret = sandbox.credentials.clientSecret) {
    return createLicenseApiClient({
      baseUrl: sandbox.url,
      authenticator: oauthAuthenticator(
        {
          clientId: sandbox.credentials.clientId,
          clientSecret,
          tokenUrl: sandbox.tokenUrl,
          timeoutMs: 5_000,
        },
        clock,
        dispatcher,
      ),
      publicKey: createPublicKey(sandbox.publicKeyPem),
      clock,
      timeoutMs: 5_000,
      dispatcher,
    });
  }
  const tokenRequests = () => sandbox.requests().filter((r) => r.path.endsWith('/token')).length;

  it('fetches one token and reuses it', async () => {
    const clock = new ManualClock(sandboxClock.now());
    const api = oauthClient(clock);
    const before = tokenRequests();
    expect((await api.deviceLicenses(HWID, signal)).kind).toBe('genuine');
    expect((await api.deviceLicenses(HWID, signal)).kind).toBe('genuine');
    expect(tokenRequests() - before).toBe(1);
    expect(sandbox.requests().at(-1)).toMatchObject({ auth: 'bearer', status: 200 });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('renews the token before it expires', async () => {
    const clock = new ManualClock(sandboxClock.now());
    const api = oauthClient(clock);
    const before = tokenRequests();
    await api.deviceLicenses(HWID, signal);
    // 480 s tokens are renewed at 80% of their life: 400 s later is past that, before expiry.
    clock.at += 400_000;
    sandboxClock.at += 400_000;
    expect((await api.deviceLicenses(HWID, signal)).kind).toBe('genuine');
    expect(tokenRequests() - before).toBe(2);
  });

  it('a wrong client secret is a rejection, not an outage', async () => {
    const outcome = await oauthClient(new ManualClock(sandboxClock.now()), 'wrong').deviceLicenses(
      HWID,
      signal,
    );
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'unauthorized' });
  });
});
