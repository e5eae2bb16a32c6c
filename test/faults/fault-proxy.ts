import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** The sandbox's answer as the proxy received it, before a fault edits it. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How the proxy treats each request until told otherwise. */
export type Fault =
  | { readonly kind: 'pass' }
  /** Nothing listens on the port: a connection attempt gets ECONNREFUSED from the kernel. */
  | { readonly kind: 'refuse' }
  /** The sandbox's status and headers, half its body, then a TCP reset. */
  | { readonly kind: 'reset-mid-body' }
  /** The request is read and never answered. */
  | { readonly kind: 'hang' }
  /** The sandbox's answer, unchanged, after a delay. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** The proxy answers by itself, without asking the sandbox (a 5xx, a 429). */
  | { readonly kind: 'reply'; readonly answer: Answer }
  /** The sandbox's answer, edited; Content-Length is set for the edited body. */
  | { readonly kind: 'rewrite'; readonly rewrite: (answer: Answer) => Answer };

/** One request that reached the proxy, with when it arrived (monotonic ms). */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

export interface FaultProxy {
  /** The License API base URL through the proxy, ending in `/api/v4/`. */
  readonly url: string;
  /** Switches the fault; resolves once the proxy behaves so (a refusal closes the listener). */
  set(fault: Fault): Promise<void>;
  requests(): readonly ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server in front of the sandbox whose behaviour a test switches per fault. For
 * `refuse` it stops listening and later listens again on the same port, so the agent keeps one
 * base URL and meets a real ECONNREFUSED, not a stand-in for one.
 */
export async function startFaultProxy(sandboxOrigin: string): Promise<FaultProxy> {
  let fault: Fault = { kind: 'pass' };
  const log: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    log.push({ method: req.method ?? 'GET', path: req.url ?? '/', at: performance.now() });
    handle(fault, sandboxOrigin, req, res).catch(() => res.destroy());
  });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  let listening = true;

  function listen(on: number): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  function stopListening(): Promise<void> {
    return new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
      // The agent's keep-alive connections would otherwise carry requests past the closed listener.
      server.closeAllConnections();
    });
  }

  return {
    url: `http://127.0.0.1:${String(port)}/api/v4/`,
    async set(next) {
      if (next.kind === 'refuse' && listening) {
        listening = false;
        await stopListening();
      } else if (next.kind !== 'refuse' && !listening) {
        await listen(port);
        listening = true;
      }
      fault = next;
    },
    requests: () => [...log],
    async close() {
      if (listening) await stopListening();
      listening = false;
    },
  };
}

async function handle(
  fault: Fault,
  sandboxOrigin: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  switch (fault.kind) {
    case 'hang':
      // Closing the connection is the client's business (its timeout), or close()'s.
      req.resume();
      return;
    case 'reply':
      req.resume();
      send(res, fault.answer);
      return;
    case 'pass':
    case 'refuse':
      send(res, await forward(sandboxOrigin, req));
      return;
    case 'slow': {
      const answer = await forward(sandboxOrigin, req);
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      send(res, answer);
      return;
    }
    case 'rewrite':
      send(res, fault.rewrite(await forward(sandboxOrigin, req)));
      return;
    case 'reset-mid-body': {
      const answer = await forward(sandboxOrigin, req);
      const bytes = Buffer.from(answer.body, 'utf8');
      // Content-Length promises the whole body; the connection dies halfway through it.
      res.writeHead(answer.status, { ...answer.headers, 'content-length': bytes.length });
      res.write(bytes.subarray(0, bytes.length >> 1), () => {
        setImmediate(() => req.socket.resetAndDestroy());
      });
      return;
    }
    default: {
      const never: never = fault;
      return never;
    }
  }
}

function send(res: ServerResponse, answer: Answer): void {
  const headers: OutgoingHttpHeaders = { ...answer.headers };
  headers['content-length'] = Buffer.byteLength(answer.body);
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/** Asks the sandbox the same question and reads its whole answer. */
function forward(sandboxOrigin: string, req: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      new URL(req.url ?? '/', sandboxOrigin),
      { method: req.method, headers: withoutHopByHop(req.headers) },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () => {
          resolve({
            status: answer.statusCode ?? 502,
            headers: flatten(answer.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    upstream.on('error', reject);
    req.pipe(upstream);
  });
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
