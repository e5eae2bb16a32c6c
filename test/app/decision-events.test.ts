import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { createAgentClient } from '../../src/client/agent-client.js';
import { sseReader, type ServerEvent } from '../../src/client/sse-reader.js';
import type { FeatureChange } from '../../src/client/types.js';
import { HARDWARE_ID, startFaultAgent, type FaultAgent } from '../faults/agent-harness.js';

let sandbox: Sandbox;
let running: FaultAgent | null = null;
let socketDir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  socketDir = await mkdtemp(join(tmpdir(), 'ela-events-'));
});
afterEach(async () => {
  await running?.stop();
  running = null;
  sandbox.clearRefusals();
});
afterAll(async () => {
  await sandbox.close();
  await rm(socketDir, { recursive: true, force: true });
});

const socketPath = () => join(socketDir, 'agent.sock');

async function start(): Promise<FaultAgent> {
  running = await startFaultAgent(sandbox, sandbox.url, (config) => ({
    ...config,
    http: { ...config.http, socket: { path: socketPath(), mode: 0o600, group: null } },
  }));
  await running.agent.refresh();
  return running;
}

/** An event stream read as events arrive; `next()` waits for the next one. */
async function listen(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const body = response.body;
  if (body === null) throw new Error('no body');
  const read = sseReader();
  const decoder = new TextDecoder();
  const queue: ServerEvent[] = [];
  const waiting: ((event: ServerEvent) => void)[] = [];
  void (async () => {
    try {
      for await (const chunk of body) {
        for (const event of read(decoder.decode(chunk, { stream: true }))) {
          const wake = waiting.shift();
          if (wake === undefined) queue.push(event);
          else wake(event);
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    next: (): Promise<ServerEvent> => {
      const queued = queue.shift();
      return queued !== undefined
        ? Promise.resolve(queued)
        : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      controller.abort();
    },
  };
}

const deviceLicenseCalls = () =>
  sandbox.requests().filter((r) => r.path.endsWith('/device_licenses')).length;

async function metric(agent: FaultAgent, line: RegExp): Promise<number> {
  const text = await (await fetch(`${agent.agent.url}/metrics`)).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? NaN : Number(found.split(' ').at(-1));
}

describe('decision changes pushed to applications', () => {
  it('a subscriber hears of a revocation from the sync that learned it, before another sync', async () => {
    const a = await start();
    const stream = await listen(`${a.agent.url}/v1/events`);
    const ready = await stream.next();
    expect(ready.event).toBe('ready');
    expect(JSON.parse(ready.data)).toMatchObject({
      features: expect.arrayContaining([
        expect.objectContaining({ code: 'reporting', state: 'active' }),
      ]),
    });

    sandbox.refuseDevice(HARDWARE_ID);
    await a.agent.refresh();
    const syncs = deviceLicenseCalls();
    const event = await stream.next();
    expect(event.event).toBe('decision');
    expect(JSON.parse(event.data)).toMatchObject({
      feature: expect.any(String),
      from: { allowed: true, state: 'active' },
      to: { allowed: false, state: 'denied', reason: 'device_blacklisted' },
    });
    // No sync ran between: the event came from the one that learned of the refusal.
    expect(deviceLicenseCalls()).toBe(syncs);
    stream.close();
  });

  it("the client's onChange fires over the Unix socket, and its cache then answers the new state without asking", async () => {
    const a = await start();
    const client = createAgentClient({ socketPath: socketPath(), cacheMs: 60_000 });
    try {
      expect(await client.feature('reporting')).toMatchObject({ allowed: true });
      const changed = new Promise<FeatureChange>((resolve) => {
        client.onChange('reporting', resolve);
      });
      const subscribed = /^license_agent_event_subscribers\{stream="agent"\}/;
      while ((await metric(a, subscribed)) !== 1) await new Promise((r) => setTimeout(r, 10));

      sandbox.refuseDevice(HARDWARE_ID);
      await a.agent.refresh();
      const change = await changed;
      expect(change).toMatchObject({
        feature: 'reporting',
        from: { allowed: true },
        to: { code: 'reporting', allowed: false, reason: 'device_blacklisted' },
      });
      const asked = /^license_agent_feature_questions_total\{surface="api"\}/;
      const before = await metric(a, asked);
      expect(await client.feature('reporting')).toMatchObject({ allowed: false });
      expect(await metric(a, asked)).toBe(before);
    } finally {
      await client.close();
    }
  });

  it("the client's stream comes back after the agent restarts, and closes with the last listener", async () => {
    let a = await start();
    const client = createAgentClient({ socketPath: socketPath() });
    const subscribed = /^license_agent_event_subscribers\{stream="agent"\}/;
    const waitFor = async (agent: FaultAgent, count: number) => {
      while ((await metric(agent, subscribed)) !== count)
        await new Promise((r) => setTimeout(r, 10));
    };
    try {
      const heard: FeatureChange[] = [];
      const stop = client.onChange('reporting', (change) => heard.push(change));
      await waitFor(a, 1);
      a = await a.restart();
      running = a;
      await waitFor(a, 1);
      sandbox.refuseDevice(HARDWARE_ID);
      await a.agent.refresh();
      while (heard.length === 0) await new Promise((r) => setTimeout(r, 10));
      expect(heard[0]).toMatchObject({ to: { allowed: false, reason: 'device_blacklisted' } });
      stop();
      await waitFor(a, 0);
    } finally {
      await client.close();
    }
  });

  it('an OFREP bulk answer advertises its event stream, which asks for a re-fetch on a change', async () => {
    const a = await start();
    const bulk = await fetch(`${a.agent.url}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"context":{}}',
    });
    const body = (await bulk.json()) as { eventStreams: { type: string; url: string }[] };
    expect(body.eventStreams).toEqual([{ type: 'sse', url: `${a.agent.url}/ofrep/v1/events` }]);

    const stream = await listen(body.eventStreams[0]?.url ?? '');
    sandbox.refuseDevice(HARDWARE_ID);
    await a.agent.refresh();
    const event = await stream.next();
    expect(event.event).toBe('message');
    const data = JSON.parse(event.data) as { type: string; etag: string };
    expect(data.type).toBe('refetchEvaluation');
    const again = await fetch(`${a.agent.url}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(again.headers.get('etag')).toBe(data.etag);
    stream.close();
  });

  it('a crowd of connections shed by the local API does not close an event stream', async () => {
    const a = await start();
    const stream = await listen(`${a.agent.url}/v1/events`);
    expect((await stream.next()).event).toBe('ready');
    const { port } = new URL(a.agent.url);
    // Past the crowd limit (512 open), each new connection sheds idle and silent ones.
    const crowd: Socket[] = [];
    for (let i = 0; i < 600; i++) {
      crowd.push(
        await new Promise<Socket>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1', () => {
            resolve(socket);
          });
          socket.on('error', () => undefined);
        }),
      );
    }
    sandbox.refuseDevice(HARDWARE_ID);
    await a.agent.refresh();
    expect((await stream.next()).event).toBe('decision');
    for (const socket of crowd) socket.destroy();
    stream.close();
  });
});
