import { performance } from 'node:perf_hooks';
import { AnswerCache } from './answer-cache.js';
import { readFeatureAnswer, readRefreshAnswer, readStatusAnswer } from './answer-shapes.js';
import { AgentClientError } from './client-error.js';
import { answerOf, errorBodyWith, shaped, type Asked } from './read-reply.js';
import { ChangeStream } from './change-stream.js';
import { featureChanges } from './feature-changes.js';
import { createTransport } from './transport.js';
import type { FeatureAnswer, FeatureChange, RefreshAnswer, StatusAnswer } from './types.js';

export interface AgentClientOptions {
  /**
   * The local API. Default: `$ELA_URL`, else `http://127.0.0.1:7311`. With `socketPath`, only
   * its path prefix matters (default `http://localhost`).
   */
  readonly url?: string | undefined;
  /** Talk to the agent's Unix socket (`http.socket.path`) instead of TCP. */
  readonly socketPath?: string | undefined;
  /** Sent as `Authorization: Bearer …`; the agent asks for it on TCP when `http.token` is set. */
  readonly token?: string | undefined;
  /** How long a feature answer is reused, in ms. Default 1000; 0 turns the cache off. */
  readonly cacheMs?: number | undefined;
  /** Deadline for one request, connecting and reading included, in ms. Default 2000. */
  readonly timeoutMs?: number | undefined;
  /** Monotonic milliseconds, for the cache. Default `performance.now`. */
  readonly now?: (() => number) | undefined;
  /**
   * For `onChange`: how long the event stream may stay silent before it is taken for dead and
   * opened again, in ms. Default 60000: four of the agent's heartbeats (`events.heartbeatSeconds`).
   */
  readonly streamIdleMs?: number | undefined;
}

export interface AgentClient {
  /** The feature's `allowed`. Rejects with an `AgentClientError` when there is no decision. */
  isAllowed(code: string): Promise<boolean>;
  /** The feature's decision and its why. Cached per code for `cacheMs`. */
  feature(code: string): Promise<FeatureAnswer>;
  /** The device, its licences and features, the last sync, the offline state. Never cached. */
  status(): Promise<StatusAnswer>;
  /**
   * Syncs now and resolves with the sync's report once it has finished, `failed` included. The
   * agent turns a refresh asked for within seconds of the last one away: that rejects with
   * `agent_error`, `agentCode: 'rate_limited'` and `retryAfterSeconds`. Every refresh costs the
   * whole fleet's licence-server quota: ask when something changed, not on a timer.
   */
  refresh(options?: RefreshOptions): Promise<RefreshAnswer>;
  /**
   * Calls `listener` whenever the feature's answer changes (a revocation, a grace that ends),
   * pushed by the agent over one event stream (`GET /v1/events`) shared by every listener, opened
   * with the first and closed with the last, reconnected when lost. While it is open, `feature()`
   * answers from what the stream said. Returns the function that stops the listening.
   */
  onChange(code: string, listener: (change: FeatureChange) => void): () => void;
  /** Closes the connections once requests in flight have ended. Later calls reject. */
  close(): Promise<void>;
}

export interface RefreshOptions {
  /**
   * How long to wait for the sync, in ms. Default 120000: a sync may retry an unreachable licence
   * server with backoff before it gives up.
   */
  readonly timeoutMs?: number | undefined;
}

const DEFAULT_URL = 'http://127.0.0.1:7311';
const DEFAULT_REFRESH_TIMEOUT_MS = 120_000;

/**
 * A client for a running edge-license-agent's local API. Every failure rejects with an
 * `AgentClientError` whose `code` says what happened; the agent being down is not turned into a
 * "no" here, because whether to fail open or closed is the application's decision.
 */
export function createAgentClient(options: AgentClientOptions = {}): AgentClient {
  const socketPath = options.socketPath ?? null;
  const fallbackUrl =
    socketPath === null ? (process.env['ELA_URL'] ?? DEFAULT_URL) : 'http://localhost';
  const token = options.token ?? null;
  if (token === '') throw new TypeError('edge-license-agent client: token is empty');
  const transport = createTransport({
    baseUrl: baseUrlOf(options.url ?? fallbackUrl),
    socketPath,
    token,
    timeoutMs: milliseconds('timeoutMs', options.timeoutMs ?? 2_000, 1),
  });
  const features = new AnswerCache<FeatureAnswer>(
    milliseconds('cacheMs', options.cacheMs ?? 1_000, 0),
    options.now ?? (() => performance.now()),
  );
  let closing: Promise<void> | null = null;
  const changes = featureChanges(features);
  const stream = new ChangeStream(
    transport,
    changes.heard,
    milliseconds('streamIdleMs', options.streamIdleMs ?? 60_000, 1),
  );

  const closed = () =>
    new AgentClientError('client_closed', 'the licence agent client is closed', {
      target: transport.target,
    });
  const ask = async (path: string): Promise<unknown> => {
    const asked: Asked = { method: 'GET', path };
    return answerOf(transport, asked, await transport.send('GET', path), token !== null);
  };

  const feature = (code: string): Promise<FeatureAnswer> => {
    if (typeof code !== 'string' || code === '') {
      return Promise.reject(
        new TypeError('edge-license-agent client: a feature code is a non-empty string'),
      );
    }
    if (closing !== null) return Promise.reject(closed());
    const path = `/v1/features/${encodeURIComponent(code)}`;
    return features.get(code, async () => {
      const body = await ask(path);
      return shaped(transport, { method: 'GET', path }, () => readFeatureAnswer(body, code));
    });
  };

  return {
    feature,
    isAllowed: async (code) => (await feature(code)).allowed,
    status: async () => {
      if (closing !== null) throw closed();
      const body = await ask('/v1/status');
      return shaped(transport, { method: 'GET', path: '/v1/status' }, () => readStatusAnswer(body));
    },
    refresh: async (refreshOptions = {}) => {
      if (closing !== null) throw closed();
      const timeoutMs = milliseconds(
        'refresh timeoutMs',
        refreshOptions.timeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS,
        1,
      );
      const asked: Asked = { method: 'POST', path: '/v1/refresh' };
      const reply = await transport.send(asked.method, asked.path, timeoutMs);
      // A sync that ran and failed is an answer about the licence server, not a failure to ask
      // the agent: its report comes beside the error.
      const body =
        errorBodyWith(reply, 'sync_failed') ?? answerOf(transport, asked, reply, token !== null);
      return shaped(transport, asked, () => readRefreshAnswer(body));
    },
    onChange: (code, listener) => {
      if (typeof code !== 'string' || code === '') {
        throw new TypeError('edge-license-agent client: a feature code is a non-empty string');
      }
      if (closing !== null) throw closed();
      const stop = changes.listen(code, listener);
      stream.start();
      return () => {
        stop();
        if (changes.listening() === 0) {
          stream.stop();
          changes.forgetKnown();
        }
      };
    },
    close: () => {
      stream.stop();
      return (closing ??= transport.close());
    },
  };
}

/** Origin plus any path prefix (the agent may sit behind a proxy), without a trailing slash. */
function baseUrlOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`edge-license-agent client: not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`edge-license-agent client: not an http(s) URL: ${url}`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function milliseconds(name: string, value: number, least: number): number {
  if (!Number.isFinite(value) || value < least) {
    throw new RangeError(`edge-license-agent client: ${name} must be a number >= ${String(least)}`);
  }
  return value;
}
