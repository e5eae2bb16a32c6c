import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgentClient } from '../../src/client/index.js';
import { answer, json, startFakeAgent, startRealAgent, type FakeAgent } from './servers.js';
import type { RealAgent } from './servers.js';
import { failure } from './client-failure.js';

const report = { result: 'ok', finishedAt: '2026-03-01T10:00:00.000Z', deviceLicenses: 'genuine' };

describe('refresh() against the real agent', () => {
  let real: RealAgent;
  beforeAll(async () => {
    real = await startRealAgent();
  });
  afterAll(async () => {
    await real.stop();
  });

  it('syncs and resolves with the sync’s report, then is turned away when asked again at once', async () => {
    const client = createAgentClient({ socketPath: real.socketPath });
    const first = await client.refresh();
    expect(first).toMatchObject({ result: 'ok', deviceLicenses: 'genuine' });
    expect(Date.parse(first.finishedAt)).not.toBeNaN();
    const error = await failure(client.refresh());
    expect(error).toMatchObject({ code: 'agent_error', status: 429, agentCode: 'rate_limited' });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    await client.close();
  });
});

describe('refresh() against answers a test chooses', () => {
  let fake: FakeAgent;
  beforeAll(async () => {
    fake = await startFakeAgent(answer(200, report));
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => {
    fake.handle = answer(200, report);
    fake.paths.length = 0;
  });

  it('asks with POST /v1/refresh and sends the token', async () => {
    let method = '';
    fake.handle = (req, res) => {
      method = req.method ?? '';
      json(res, 200, report);
    };
    const client = createAgentClient({ url: fake.url, token: 't0ken' });
    expect(await client.refresh()).toEqual(report);
    expect(method).toBe('POST');
    expect(fake.paths).toEqual(['/v1/refresh']);
    expect(fake.authorizations).toEqual(['Bearer t0ken']);
    await client.close();
  });

  it('resolves with a failed sync’s report, which the agent sends beside its 502', async () => {
    const failed = { result: 'failed', finishedAt: report.finishedAt, deviceLicenses: 'timeout' };
    fake.handle = answer(502, {
      error: { code: 'sync_failed', message: 'the sync failed: timeout' },
      ...failed,
    });
    const client = createAgentClient({ url: fake.url });
    expect(await client.refresh()).toEqual(failed);
    await client.close();
  });

  it('a 429 is agent_error rate_limited with the Retry-After in seconds', async () => {
    fake.handle = (_req, res) => {
      res.setHeader('retry-after', '7');
      json(res, 429, {
        error: { code: 'rate_limited', message: 'a refresh was asked for just now' },
      });
    };
    const client = createAgentClient({ url: fake.url });
    const error = await failure(client.refresh());
    expect(error).toMatchObject({
      code: 'agent_error',
      status: 429,
      agentCode: 'rate_limited',
      retryAfterSeconds: 7,
    });
    expect(error.message).toContain('POST /v1/refresh');
    await client.close();
  });

  it('a report of the wrong shape is bad_answer naming the field', async () => {
    fake.handle = answer(200, { ...report, result: 3 });
    const client = createAgentClient({ url: fake.url });
    const error = await failure(client.refresh());
    expect(error.code).toBe('bad_answer');
    expect(error.message).toContain('answer.result is not a string');
    await client.close();
  });

  it('waits for the sync longer than a question, but not past its own timeoutMs', async () => {
    const held: ServerResponse[] = [];
    fake.handle = (_req, res) => {
      held.push(res);
      setTimeout(() => {
        json(res, 200, report);
      }, 150);
    };
    const client = createAgentClient({ url: fake.url, timeoutMs: 50 });
    expect(await client.refresh({ timeoutMs: 5_000 })).toEqual(report);
    fake.handle = (_req, res) => held.push(res);
    const error = await failure(client.refresh({ timeoutMs: 60 }));
    expect(error.code).toBe('agent_unavailable');
    expect(error.message).toContain('did not answer within 60 ms');
    for (const res of held) res.destroy();
    await client.close();
  });
});
