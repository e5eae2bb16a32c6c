import { createServer, request, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeListener } from '../../../src/agent/decision-watch.js';
import {
  EventHub,
  type EventStreamSettings,
  type StreamFormat,
} from '../../../src/adapters/http-api/event-hub.js';
import { recordingLogger } from '../../agent/fakes.js';

/** A change source the test fires by hand. */
function handSource() {
  const listeners = new Set<ChangeListener>();
  return {
    subscribe: (listener: ChangeListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire: () => {
      for (const listener of listeners) listener([]);
    },
  };
}

/** Events of a fixed size, so that a reader who does not read falls behind quickly. */
const bulky = (bytes: number): StreamFormat => ({
  kind: 'agent',
  greeting: () => 'event: ready\ndata: {}\n\n',
  changes: (_changes, id) => ({
    text: `event: decision\nid: ${String(id)}\ndata: "${'x'.repeat(bytes)}"\n\n`,
    events: 1,
  }),
});

interface HubServer {
  readonly hub: EventHub;
  readonly source: ReturnType<typeof handSource>;
  readonly socketPath: string;
  readonly subscribers: () => number;
  close(): Promise<void>;
}

let running: HubServer | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

/** The hub behind a real node:http server on a real Unix socket. */
async function serveHub(
  settings: Partial<EventStreamSettings> = {},
  bytes = 64,
): Promise<HubServer> {
  const dir = await mkdtemp(join(tmpdir(), 'ela-hub-'));
  const socketPath = join(dir, 'agent.sock');
  const source = handSource();
  const counts = { agent: 0, ofrep: 0 };
  const hub = new EventHub(
    source,
    { maxSubscribers: 64, heartbeatMs: 60_000, maxBacklogBytes: 64 * 1024, ...settings },
    { subscribers: (kind, n) => (counts[kind] = n), sent: () => undefined },
    recordingLogger(),
  );
  const format = bulky(bytes);
  const server: Server = createServer((req, res) => {
    hub.serve(req, res, format);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  running = {
    hub,
    source,
    socketPath,
    subscribers: () => counts.agent,
    close: async () => {
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
  return running;
}

/** A subscriber that reads everything and keeps the text. */
function reader(
  socketPath: string,
): Promise<{ text: () => string; status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, path: '/v1/events', headers: { host: 'localhost' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        resolve({ text: () => text, status: res.statusCode ?? 0, headers: res.headers });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A subscriber that asks, then never reads a byte of the answer. */
function stuckReader(socketPath: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(socketPath, () => {
      socket.write('GET /v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n');
      socket.pause();
      resolve(socket);
    });
  });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function until(condition: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await turn();
  if (!condition()) throw new Error('the condition never held');
}

describe('the event hub', () => {
  it('drops a reader that does not drain its socket, and the others go on hearing every event', async () => {
    const served = await serveHub({ maxBacklogBytes: 64 * 1024 }, 32 * 1024);
    const fast = await reader(served.socketPath);
    const stuck = await stuckReader(served.socketPath);
    await until(() => served.subscribers() === 2);
    let fired = 0;
    // Each round waits for the fast reader to have it: only the stuck one falls behind.
    while (served.subscribers() === 2 && fired < 2_000) {
      served.source.fire();
      fired++;
      await until(() => fast.text().split('event: decision').length - 1 === fired);
    }
    expect(served.subscribers()).toBe(1);
    served.source.fire();
    fired++;
    await until(() => fast.text().split('event: decision').length - 1 === fired);
    stuck.destroy();
  });

  it('turns the subscriber past the limit away with 503 and Retry-After', async () => {
    const served = await serveHub({ maxSubscribers: 64 });
    const open = await Promise.all(Array.from({ length: 64 }, () => reader(served.socketPath)));
    expect(open.every((r) => r.status === 200)).toBe(true);
    const turnedAway = await reader(served.socketPath);
    expect(turnedAway.status).toBe(503);
    expect(turnedAway.headers['retry-after']).toMatch(/^\d+$/);
    await until(() => turnedAway.text().includes('too_many_subscribers'));
  });

  it('sends a heartbeat comment on a quiet stream', async () => {
    const served = await serveHub({ heartbeatMs: 20 });
    const quiet = await reader(served.socketPath);
    await until(() => quiet.text().includes(': heartbeat\n\n'), 1_000_000);
    expect(quiet.text()).toMatch(/^retry: \d+\nevent: ready\n/);
  });

  it('ends every stream when closed, so that the server can close', async () => {
    const served = await serveHub();
    await reader(served.socketPath);
    await until(() => served.subscribers() === 1);
    served.hub.close();
    expect(served.subscribers()).toBe(0);
  });
});
