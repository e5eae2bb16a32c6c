import { chmod, chown, lstat, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AgentView } from '../../agent/agent-view.js';
import type { FeatureQuestions, Logger } from '../../agent/ports.js';
import type { SyncReport } from '../../agent/sync-cycle.js';
import { groupId } from '../unix-group/group-id.js';
import { apiError } from './api-errors.js';
import { bearerCheck } from './bearer-token.js';
import { browserGuard } from './browser-guard.js';
import { guardConnections } from './connection-crowd.js';
import { coreRoutes, type MetricsSource } from './core-routes.js';
import { refreshRoute } from './refresh-route.js';
import { sendError } from './reply.js';
import { requestHandler } from './request-handler.js';
import type { Route } from './routes.js';

export type { MetricsSource } from './core-routes.js';

/** The Unix socket to serve the API on too: where, and who may connect (file mode, group). */
export interface SocketSettings {
  readonly path: string;
  readonly mode: number;
  readonly group: string | null;
}

export interface LocalApiOptions {
  readonly host: string;
  readonly port: number;
  /** Required of TCP clients when set. */
  readonly token: string | null;
  readonly socket: SocketSettings | null;
  readonly view: AgentView;
  readonly metrics: MetricsSource;
  /** Told of every feature question answered, for the metrics; absent, nobody counts them. */
  readonly questions?: FeatureQuestions;
  readonly refresh: () => Promise<SyncReport>;
  readonly monotonic: () => number;
  /** More routes (OFREP), served the same way. */
  readonly extraRoutes?: readonly Route[];
  /** Event streams served by the routes: ended first on close, or the server would wait on them. */
  readonly streams?: { close(): void };
  readonly log: Logger;
}

export interface LocalApi {
  /** `http://host:port` once listening. */
  readonly url: string;
  readonly socketPath: string | null;
  close(): Promise<void>;
}

/**
 * Limits for a local API that anything on the host may talk to: small headers, prompt senders,
 * short-lived idle connections. A slow or malformed client costs one socket for a few seconds.
 */
const LIMITS = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 5_000,
  // Receiving a whole request, not answering it: a refresh may take a sync's time to answer.
  requestTimeout: 5_000,
  keepAliveTimeout: 5_000,
  // A crowd holding connections open is shed rather than refused at a cap (connection-crowd.ts);
  // what is left is senders in the middle of a request, each cut off by headersTimeout.
  crowd: { shedAbove: 512, spareSilent: 64, silentMs: 5_000 },
  maxConnections: 16_384,
} as const;

/** The local HTTP API on node:http, over TCP and optionally a Unix socket, with one route table. */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const routes = [
    ...coreRoutes(options.view, options.metrics, options.questions ?? uncounted),
    refreshRoute(options.refresh, options.monotonic),
    ...(options.extraRoutes ?? []),
  ];
  // The Host allow-list needs the port, which is known once listening (port 0 in tests).
  let tcpHandler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    sendError(res, apiError('not_ready', 'the API is starting'));
  };
  const tcp = listenerServer((req, res) => {
    tcpHandler(req, res);
  });
  await listen(tcp, (server, done) => server.listen(options.port, options.host, done));
  const address = tcp.address() as AddressInfo;
  tcpHandler = requestHandler({
    routes,
    authorized: options.token === null ? null : bearerCheck(options.token),
    guard: browserGuard(options.host, address.port, { tokenRequired: options.token !== null }),
    log: options.log,
  });
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let unix: Server | null = null;
  const socket = options.socket;
  if (socket !== null) {
    unix = listenerServer(
      requestHandler({ routes, authorized: null, guard: null, log: options.log }),
    );
    try {
      await removeStaleSocket(socket.path);
      await listen(unix, (server, done) => server.listen(socket.path, done));
      // Who may connect is the socket file's business: its mode and group.
      await chmod(socket.path, socket.mode);
      if (socket.group !== null) await chown(socket.path, -1, await knownGroupId(socket.group));
    } catch (error) {
      // The TCP listener is up already; left open, it would keep a failed start alive.
      await Promise.all([close(tcp), unix.listening ? close(unix) : undefined]);
      throw error;
    }
  }

  return {
    url: `http://${host}:${String(address.port)}`,
    socketPath: socket?.path ?? null,
    close: async () => {
      options.streams?.close();
      await Promise.all([close(tcp), unix === null ? undefined : close(unix)]);
      if (socket !== null) await unlink(socket.path).catch(() => undefined);
    },
  };
}

function uncounted(): void {
  // An API started without metrics (a test of the API alone) counts nothing.
}

function listenerServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  // Pipelined requests on one socket are answered in order. An error found after requests that
  // were read whole must wait for their answers, or the client would read it as one of theirs;
  // an error inside a request still being read is that request's answer, and goes at once.
  // Node sends a socket's responses in order, so the latest response having gone means all have.
  // A response answered at once, straight onto its socket, is already ahead of any error and is
  // not remembered at all: holding on to answered responses until the next request made every
  // young-generation GC copy them, and the pauses grew by half. Any other is remembered until
  // 'prefinish', when Node has handed all of it to the socket: an error written after that goes
  // after it. ('finish' would do too, later, but Node listens for it itself, and a second
  // listener costs every response an array.)
  const latest = new WeakMap<Socket, ServerResponse>();
  function forget(this: ServerResponse): void {
    if (latest.get(this.req.socket) === this) latest.delete(this.req.socket);
  }
  const server = createServer(
    {
      maxHeaderSize: LIMITS.maxHeaderSize,
      headersTimeout: LIMITS.headersTimeout,
      requestTimeout: LIMITS.requestTimeout,
      keepAliveTimeout: LIMITS.keepAliveTimeout,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: 1_000,
      // A local API has no virtual hosts: a request without Host is answered, not refused bare.
      requireHostHeader: false,
    },
    (req, res) => {
      spoke(req.socket);
      handler(req, res);
      // Ended, and on the socket rather than queued behind an earlier response still going out.
      if (res.writableEnded && res.socket !== null) return;
      latest.set(req.socket, res);
      res.on('prefinish', forget);
    },
  );
  server.maxConnections = LIMITS.maxConnections;
  // Node answers a malformed request with a bare 400 and no body; ours say why, in JSON.
  const spoke = guardConnections(server, LIMITS.crowd);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code] = clientErrorStatus(error.code);
    const text = rawJsonResponse(status, code, 'the request could not be read');
    const last = latest.get(socket);
    if (last !== undefined && last.req.complete && !last.writableFinished) {
      // 'close' follows every response, sent or cut short.
      last.once('close', () => socket.end(text));
    } else socket.end(text);
  });
  // Only `Expect: 100-continue` means anything; Node would answer others with a bare 417.
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    sendError(res, apiError('expectation_failed', 'only Expect: 100-continue is understood'));
  });
  return server;
}

function rawJsonResponse(status: number, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return (
    `HTTP/1.1 ${String(status)} ${code}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${String(Buffer.byteLength(body))}\r\nConnection: close\r\n\r\n${body}`
  );
}

function clientErrorStatus(code: string | undefined): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'headers_too_large'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'request_timeout'];
  return [400, 'bad_request'];
}

function listen(server: Server, start: (server: Server, done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    start(server, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** A socket left by a killed agent blocks listen(); anything that is not a socket is left alone. */
async function removeStaleSocket(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSocket()) await unlink(path);
  } catch {
    // Absent: nothing to remove.
  }
}

async function knownGroupId(group: string): Promise<number> {
  const gid = await groupId(group);
  if (gid === null) throw Object.assign(new Error(`no such group: ${group}`), { code: 'ENOGROUP' });
  return gid;
}
