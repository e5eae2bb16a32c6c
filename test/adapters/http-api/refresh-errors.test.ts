import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/agent/ports.js';
import { startLocalApi, type LocalApi } from '../../../src/adapters/http-api/local-api-server.js';
import { startSandbox, type Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { AgentError } from '../../../src/domain/agent-error.js';
import { startFaultAgent, type FaultAgent } from '../../faults/agent-harness.js';

let sandbox: Sandbox;
let agent: FaultAgent;
const errors: unknown[] = [];
const log: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (fields) => errors.push(fields),
  child: () => log,
};

beforeAll(async () => {
  sandbox = await startSandbox();
  agent = await startFaultAgent(sandbox, sandbox.url);
});
afterAll(async () => {
  await agent.stop();
  await sandbox.close();
});

/** The local API in front of the agent's view, with a refresh that fails as told. */
async function apiWhoseRefreshFails(error: Error): Promise<LocalApi> {
  return startLocalApi({
    host: '127.0.0.1',
    port: 0,
    token: null,
    socket: null,
    view: agent.agent.view,
    metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
    refresh: () => Promise.reject(error),
    monotonic: () => performance.now(),
    extraRoutes: [],
    log,
  });
}

async function refresh(api: LocalApi) {
  const response = await fetch(`${api.url}/v1/refresh`, { method: 'POST' });
  return { status: response.status, body: (await response.json()) as any };
}

describe('a refresh that fails inside the agent', () => {
  it('answers a coded 503 when the agent is stopping, and logs no error for it', async () => {
    const api = await apiWhoseRefreshFails(
      new AgentError('agent_stopping', 'the agent is stopping'),
    );
    try {
      errors.length = 0;
      expect(await refresh(api)).toEqual({
        status: 503,
        body: { error: { code: 'stopping', message: 'the agent is stopping' } },
      });
      expect(errors).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('answers 500 without the error text for a failure the agent did not expect, and logs it', async () => {
    const api = await apiWhoseRefreshFails(new Error('secret detail of a bug'));
    try {
      errors.length = 0;
      const answer = await refresh(api);
      expect(answer.status).toBe(500);
      expect(answer.body.error.code).toBe('internal_error');
      expect(JSON.stringify(answer.body)).not.toContain('secret detail');
      expect(errors).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});
