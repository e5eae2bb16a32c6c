import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgent, type RunningAgent } from '../../src/app/start-agent.js';
import { loadConfig } from '../../src/config/load-config.js';

const exampleConfig = fileURLToPath(new URL('../../config/agent.example.yaml', import.meta.url));

export interface RealAgent {
  readonly agent: RunningAgent;
  readonly socketPath: string;
  stop(): Promise<void>;
}

/** The real agent against its built-in sandbox, on a free port and a Unix socket, synced once. */
export async function startRealAgent(): Promise<RealAgent> {
  const base = await loadConfig({ path: exampleConfig, env: {} });
  const directory = await mkdtemp(join(tmpdir(), 'ela-client-'));
  const socketPath = join(directory, 'agent.sock');
  const agent = await startAgent(
    {
      ...base,
      stateDirectory: directory,
      hardwareIdOverride: 'client-test-device',
      http: {
        host: '127.0.0.1',
        port: 0,
        token: null,
        socket: { path: socketPath, mode: 0o660, group: null },
      },
      log: { level: 'silent' },
    },
    // Syncs happen at start and on refresh(), never on a timer.
    { scheduler: { every: () => ({ stop: () => undefined }) } },
  );
  await agent.refresh();
  return {
    agent,
    socketPath,
    stop: async () => {
      await agent.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FakeAgent {
  readonly url: string;
  /** Every request's path, in order. */
  readonly paths: string[];
  /** Every request's Authorization header. */
  readonly authorizations: (string | undefined)[];
  handle: Handler;
  close(): Promise<void>;
}

/** A loopback server that answers like the agent, or not, as a test tells it to. */
export async function startFakeAgent(handle: Handler): Promise<FakeAgent> {
  const fake: FakeAgent = {
    url: '',
    paths: [],
    authorizations: [],
    handle,
    close: () => close(server),
  };
  const server: Server = createServer((req, res) => {
    fake.paths.push(req.url ?? '');
    fake.authorizations.push(req.headers.authorization);
    fake.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, { url: `http://127.0.0.1:${String(port)}` });
}

/** A port nothing listens on: taken, then given back. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await close(server);
  return port;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Answers every request with this status and body. */
export function answer(status: number, body: unknown): Handler {
  return (_req, res) => {
    json(res, status, body);
  };
}

/** A feature answer exactly as the agent presents one. */
export function featureBody(code: string, allowed: boolean) {
  return {
    code,
    allowed,
    state: allowed ? 'active' : 'denied',
    reason: allowed ? 'licensed' : 'not_licensed',
    expiresAt: null,
    graceEndsAt: null,
    lastVerifiedAt: '2026-01-01T00:00:00.000Z',
    licenseId: allowed ? 1 : null,
  };
}

/** Answers `/v1/features/{code}` with `allowed` for every code. */
export function featureRoute(allowed: (code: string) => boolean): Handler {
  return (req, res) => {
    const code = decodeURIComponent((req.url ?? '').replace('/v1/features/', ''));
    json(res, 200, featureBody(code, allowed(code)));
  };
}
