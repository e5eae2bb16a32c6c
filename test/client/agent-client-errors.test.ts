import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentClientError,
  createAgentClient,
  type AgentClientErrorCode,
} from '../../src/client/index.js';
import {
  answer,
  featureBody,
  featureRoute,
  freePort,
  json,
  startFakeAgent,
  type FakeAgent,
  type Handler,
} from './servers.js';
import { failure } from './client-failure.js';

let fake: FakeAgent;
let directory: string;
beforeAll(async () => {
  fake = await startFakeAgent(featureRoute(() => true));
  directory = await mkdtemp(join(tmpdir(), 'ela-client-errors-'));
});
afterAll(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});
afterEach(() => {
  fake.handle = featureRoute(() => true);
  fake.paths.length = 0;
  fake.authorizations.length = 0;
});

describe('when no agent answers', () => {
  it('a refused connection is agent_unavailable and names the URL', async () => {
    const url = `http://127.0.0.1:${String(await freePort())}`;
    const client = createAgentClient({ url });
    const error = await failure(client.isAllowed('reporting'));
    expect(error.code).toBe<AgentClientErrorCode>('agent_unavailable');
    expect(error.target).toBe(url);
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/connection refused.*running/);
    await client.close();
  });

  it('a socket path that does not exist is agent_unavailable and names the path', async () => {
    const socketPath = join(directory, 'nobody-listens.sock');
    const client = createAgentClient({ socketPath });
    const error = await failure(client.status());
    expect(error.code).toBe<AgentClientErrorCode>('agent_unavailable');
    expect(error.target).toBe(`unix:${socketPath}`);
    expect(error.message).toContain(socketPath);
    expect(error.message).toContain('no such socket');
    await client.close();
  });

  it('an agent that does not answer in time is agent_unavailable after timeoutMs', async () => {
    const held: ServerResponse[] = [];
    fake.handle = (_req, res) => held.push(res);
    const client = createAgentClient({ url: fake.url, timeoutMs: 100 });
    const error = await failure(client.feature('reporting'));
    expect(error.code).toBe<AgentClientErrorCode>('agent_unavailable');
    expect(error.message).toContain('did not answer within 100 ms');
    for (const res of held) res.destroy();
    await client.close();
  });

  it('isAllowed rejects rather than guessing; the caller picks its own default', async () => {
    const client = createAgentClient({ url: `http://127.0.0.1:${String(await freePort())}` });
    await expect(client.isAllowed('reporting')).rejects.toBeInstanceOf(AgentClientError);
    expect(await client.isAllowed('reporting').catch(() => false)).toBe(false);
    await client.close();
  });
});

describe('the bearer token', () => {
  const requireToken: Handler = (req, res) => {
    if (req.headers.authorization !== 'Bearer s3cret') {
      res.setHeader('www-authenticate', 'Bearer');
      json(res, 401, { error: { code: 'unauthorized', message: 'a bearer token is required' } });
      return;
    }
    json(res, 200, featureBody('reporting', true));
  };

  it('is sent as Authorization: Bearer', async () => {
    fake.handle = requireToken;
    const client = createAgentClient({ url: fake.url, token: 's3cret' });
    expect(await client.isAllowed('reporting')).toBe(true);
    expect(fake.authorizations).toEqual(['Bearer s3cret']);
    await client.close();
  });

  it('is not sent when none is given', async () => {
    const client = createAgentClient({ url: fake.url });
    await client.isAllowed('reporting');
    expect(fake.authorizations).toEqual([undefined]);
    await client.close();
  });

  it.each([
    ['missing', undefined, 'asks for a bearer token'],
    ['wrong', 'guess', 'did not accept the token'],
  ])('a %s token is unauthorized', async (_case, token, says) => {
    fake.handle = requireToken;
    const client = createAgentClient({ url: fake.url, token });
    const error = await failure(client.isAllowed('reporting'));
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, agentCode: 'unauthorized' });
    expect(error.message).toContain(says);
    await client.close();
  });
});

describe('answers that are not what the agent says', () => {
  it.each([
    ['garbage instead of JSON', 200, '{"code":"reporting","allowed":tru'],
    ['JSON of the wrong shape', 200, { code: 'reporting', allowed: 'yes' }],
    ['an answer about another feature', 200, featureBody('analytics', true)],
    ['a policy that is not a string', 200, { ...featureBody('reporting', true), policy: true }],
    ['an error page that is not the agent’s', 404, '<html>Not Found</html>'],
  ])('%s is bad_answer', async (_case, status, body) => {
    fake.handle = answer(status, body);
    const client = createAgentClient({ url: fake.url });
    const error = await failure(client.feature('reporting'));
    expect(error.code).toBe<AgentClientErrorCode>('bad_answer');
    expect(error.message).toContain(fake.url);
    await client.close();
  });

  it('a wrong field is named in the message', async () => {
    fake.handle = answer(200, { ...featureBody('reporting', true), allowed: 1 });
    const client = createAgentClient({ url: fake.url });
    const error = await failure(client.feature('reporting'));
    expect(error.message).toContain('answer.allowed is not a boolean');
    await client.close();
  });

  it('a status of the wrong shape is bad_answer', async () => {
    fake.handle = answer(200, { version: '0.1.0', ready: true, device: null });
    const client = createAgentClient({ url: fake.url });
    const error = await failure(client.status());
    expect(error.code).toBe<AgentClientErrorCode>('bad_answer');
    expect(error.message).toContain('answer.device is not an object');
    await client.close();
  });

  it('fields the client does not know yet are accepted', async () => {
    fake.handle = answer(200, { ...featureBody('reporting', true), state: 'someday', extra: [1] });
    const client = createAgentClient({ url: fake.url });
    expect(await client.feature('reporting')).toMatchObject({ allowed: true, state: 'someday' });
    await client.close();
  });
});

describe('an agent that cannot decide yet', () => {
  it('passes on the fail policy that answered, and isAllowed follows it', async () => {
    fake.handle = answer(200, {
      ...featureBody('opc-ua-connector', false),
      allowed: true,
      state: 'unknown',
      reason: 'no_genuine_answer',
      lastVerifiedAt: null,
      policy: 'fail-open',
    });
    const client = createAgentClient({ url: fake.url, cacheMs: 0 });
    expect(await client.isAllowed('opc-ua-connector')).toBe(true);
    expect(await client.feature('opc-ua-connector')).toMatchObject({
      state: 'unknown',
      policy: 'fail-open',
    });
    await client.close();
  });
});

describe('errors the agent reports', () => {
  it.each([
    [500, 'internal_error'],
    [404, 'not_found'],
    [503, 'not_ready'],
  ])('HTTP %i with the agent’s error body is agent_error with its code', async (status, code) => {
    fake.handle = answer(status, { error: { code, message: 'because' } });
    const client = createAgentClient({ url: fake.url });
    const error = await failure(client.feature('reporting'));
    expect(error).toMatchObject({ code: 'agent_error', status, agentCode: code });
    expect(error.message).toContain(`${code}: because`);
    await client.close();
  });
});

describe('the client itself', () => {
  it('rejects every question after close()', async () => {
    const client = createAgentClient({ url: fake.url });
    await client.isAllowed('reporting');
    await client.close();
    await client.close();
    expect((await failure(client.isAllowed('reporting'))).code).toBe('client_closed');
    expect((await failure(client.status())).code).toBe('client_closed');
  });

  it('keeps a URL path prefix and ignores a trailing slash', async () => {
    const client = createAgentClient({ url: `${fake.url}/agent/` });
    await client.feature('reporting').catch(() => undefined);
    expect(fake.paths).toEqual(['/agent/v1/features/reporting']);
    await client.close();
  });

  it.each([
    [{ url: 'not a url' }, TypeError],
    [{ url: 'ftp://127.0.0.1/' }, TypeError],
    [{ timeoutMs: 0 }, RangeError],
    [{ cacheMs: -1 }, RangeError],
    [{ cacheMs: Number.NaN }, RangeError],
    [{ token: '' }, TypeError],
  ])('refuses the options %j', (options, type) => {
    expect(() => createAgentClient(options)).toThrow(type);
  });

  it('refuses an empty feature code', async () => {
    const client = createAgentClient({ url: fake.url });
    await expect(client.feature('')).rejects.toBeInstanceOf(TypeError);
    await client.close();
  });
});
