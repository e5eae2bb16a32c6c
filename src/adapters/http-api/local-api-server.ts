import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentView } from '../../agent/agent-view.js';
import type { Logger } from '../../agent/ports.js';
import type { FeatureDecision } from '../../domain/decision.js';
import { apiError } from './api-errors.js';
import { presentFeature, presentStatus } from './present.js';

export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

export interface LocalApi {
  /** `http://host:port` once listening. */
  readonly url: string;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The local HTTP API on node:http: a handful of fixed routes, so a lookup table beats a router
 * framework, and the feature answer (the hot path) is a cached string per decision.
 */
export async function startLocalApi(options: {
  readonly host: string;
  readonly port: number;
  readonly view: AgentView;
  readonly metrics: MetricsSource;
  readonly log: Logger;
}): Promise<LocalApi> {
  const { view, metrics, log } = options;
  const featureBodies = new WeakMap<FeatureDecision, string>();

  function featureBody(decision: FeatureDecision): string {
    let body = featureBodies.get(decision);
    if (body === undefined) {
      body = JSON.stringify(presentFeature(decision));
      featureBodies.set(decision, body);
    }
    return body;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const known =
        path === '/healthz' || path === '/readyz' || path.startsWith('/v1/') || path === '/metrics';
      const error = known
        ? apiError('method_not_allowed', `${req.method ?? '?'} is not allowed on ${path}`)
        : apiError('not_found', `no such path: ${path}`);
      if (known) res.setHeader('allow', 'GET, HEAD');
      send(res, error.status, error.body);
      return;
    }
    if (path.startsWith('/v1/features/')) {
      const code = safeDecode(path.slice('/v1/features/'.length));
      if (code === null || code === '' || code.includes('/')) {
        const error = apiError('not_found', `no such path: ${path}`);
        send(res, error.status, error.body);
        return;
      }
      send(res, 200, featureBody(view.feature(code)));
      return;
    }
    switch (path) {
      case '/healthz':
        send(res, 200, '{"status":"ok"}');
        return;
      case '/readyz': {
        if (view.ready()) send(res, 200, '{"ready":true}');
        else {
          const error = apiError('not_ready', 'no decision yet: waiting for the first answer');
          send(res, error.status, error.body);
        }
        return;
      }
      case '/v1/status':
        send(res, 200, JSON.stringify(presentStatus(view.status())));
        return;
      case '/v1/features':
        send(res, 200, `{"features":[${view.decisions().features.map(featureBody).join(',')}]}`);
        return;
      case '/metrics': {
        const text = await metrics.render();
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(text);
        return;
      }
      default: {
        const error = apiError('not_found', `no such path: ${path}`);
        send(res, error.status, error.body);
      }
    }
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log.error({ err: error, path: req.url }, 'local API request failed');
      if (!res.headersSent) {
        const failure = apiError('internal_error', 'the agent could not answer');
        send(res, failure.status, failure.body);
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${String(address.port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
