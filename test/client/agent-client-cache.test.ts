import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClientError, createAgentClient, type AgentClient } from '../../src/client/index.js';
import { answer, featureRoute, startFakeAgent, type FakeAgent } from './servers.js';

/** Monotonic time a test moves by hand. */
class ManualTime {
  ms = 0;
  readonly now = (): number => this.ms;
}

let fake: FakeAgent;
let time: ManualTime;
let client: AgentClient;

beforeEach(async () => {
  fake = await startFakeAgent(featureRoute(() => true));
  time = new ManualTime();
  client = createAgentClient({ url: fake.url, cacheMs: 1_000, now: time.now });
});
afterEach(async () => {
  await client.close();
  await fake.close();
});

describe('the feature cache', () => {
  it('a second question within cacheMs is answered without a request', async () => {
    await client.isAllowed('reporting');
    time.ms = 999;
    await client.isAllowed('reporting');
    await client.feature('reporting');
    expect(fake.paths).toEqual(['/v1/features/reporting']);
  });

  it('a question after cacheMs asks the agent again and sees its new answer', async () => {
    expect(await client.isAllowed('reporting')).toBe(true);
    fake.handle = featureRoute(() => false);
    time.ms = 1_000;
    expect(await client.isAllowed('reporting')).toBe(false);
    expect(fake.paths).toHaveLength(2);
  });

  it('is kept per feature code', async () => {
    await client.isAllowed('reporting');
    await client.isAllowed('analytics');
    await client.isAllowed('reporting');
    expect(fake.paths).toEqual(['/v1/features/reporting', '/v1/features/analytics']);
  });

  it('concurrent questions about one feature share one request', async () => {
    const answers = await Promise.all([
      client.isAllowed('reporting'),
      client.feature('reporting'),
      client.isAllowed('reporting'),
    ]);
    expect(answers[0]).toBe(true);
    expect(answers[1].allowed).toBe(true);
    expect(fake.paths).toEqual(['/v1/features/reporting']);
  });

  it('concurrent questions share a failure too, and the failure is not kept', async () => {
    fake.handle = answer(500, {
      error: { code: 'internal_error', message: 'the agent could not answer' },
    });
    const results = await Promise.allSettled([
      client.isAllowed('reporting'),
      client.isAllowed('reporting'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(fake.paths).toHaveLength(1);

    fake.handle = featureRoute(() => true);
    expect(await client.isAllowed('reporting')).toBe(true);
    expect(fake.paths).toHaveLength(2);
  });

  it('cacheMs 0 asks every time', async () => {
    const uncached = createAgentClient({ url: fake.url, cacheMs: 0, now: time.now });
    await uncached.isAllowed('reporting');
    await uncached.isAllowed('reporting');
    await uncached.close();
    expect(fake.paths).toHaveLength(2);
  });

  it('status() is never cached', async () => {
    fake.handle = answer(404, { error: { code: 'not_found', message: 'no such path' } });
    await expect(client.status()).rejects.toBeInstanceOf(AgentClientError);
    await expect(client.status()).rejects.toBeInstanceOf(AgentClientError);
    expect(fake.paths).toEqual(['/v1/status', '/v1/status']);
  });
});
