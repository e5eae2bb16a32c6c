import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentClient, type AgentClient } from '../../src/client/index.js';
import { startRealAgent, type RealAgent } from './servers.js';

let real: RealAgent;
let overHttp: AgentClient;
let overSocket: AgentClient;

beforeAll(async () => {
  real = await startRealAgent();
  overHttp = createAgentClient({ url: real.agent.url });
  overSocket = createAgentClient({ socketPath: real.socketPath });
});
afterAll(async () => {
  await Promise.all([overHttp.close(), overSocket.close()]);
  await real.stop();
});

describe.each([
  ['over HTTP', () => overHttp],
  ['over the Unix socket', () => overSocket],
])('the client asks the real agent %s', (_transport, client) => {
  it('isAllowed is true for a licensed feature', async () => {
    expect(await client().isAllowed('reporting')).toBe(true);
  });

  it('isAllowed is false for an expired feature and for one no licence carries', async () => {
    expect(await client().isAllowed('legacy-export')).toBe(false);
    expect(await client().isAllowed('never-heard-of-it')).toBe(false);
  });

  it('feature() returns the decision and its why', async () => {
    const answer = await client().feature('legacy-export');
    expect(answer).toMatchObject({
      code: 'legacy-export',
      allowed: false,
      state: 'expired',
      reason: 'license_expired',
      graceEndsAt: null,
    });
    expect(Date.parse(answer.expiresAt ?? '')).not.toBeNaN();
    expect(Date.parse(answer.lastVerifiedAt ?? '')).not.toBeNaN();
    expect(typeof answer.licenseId).toBe('number');
  });

  it('feature() reports a feature no licence carries as not licensed', async () => {
    expect(await client().feature('never-heard-of-it')).toMatchObject({
      allowed: false,
      state: 'denied',
      reason: 'not_licensed',
      licenseId: null,
    });
  });

  it('a feature code is sent percent-encoded and answered as given', async () => {
    const answer = await client().feature('odd code?#ä');
    expect(answer.code).toBe('odd code?#ä');
    expect(answer.allowed).toBe(false);
  });

  it('status() returns the device, its licences and features and the last sync', async () => {
    const status = await client().status();
    expect(status.ready).toBe(true);
    expect(status.device.hardwareId).toBe('client-test-device');
    expect(status.upstream.kind).toBe('sandbox');
    expect(status.sync.last?.result).toBe('ok');
    expect(status.licenses.length).toBeGreaterThan(0);
    expect(status.features.find((f) => f.code === 'reporting')?.allowed).toBe(true);
  });
});

describe('the answers the cache hands out', () => {
  it('are frozen, so one caller cannot change another caller’s answer', async () => {
    const answer = await overHttp.feature('reporting');
    expect(Object.isFrozen(answer)).toBe(true);
  });
});
