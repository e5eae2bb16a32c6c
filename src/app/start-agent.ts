import { defaultMaxListeners, setMaxListeners } from 'node:events';
import { Registry } from 'prom-client';
import type { AgentView } from '../agent/agent-view.js';
import { DecisionBoard } from '../agent/decision-board.js';
import { establishIdentity } from '../agent/establish-identity.js';
import type { SystemFacts } from '../agent/identity-ports.js';
import type { AgentMetrics, Clock, Logger, Random, Sleep, Ticker } from '../agent/ports.js';
import { SyncLoop, type Scheduler } from '../agent/sync-loop.js';
import type { SyncReport } from '../agent/sync-cycle.js';
import { cronScheduler, longestCronGapMs } from '../adapters/clock/cron-scheduler.js';
import { monotonicTicker } from '../adapters/clock/monotonic-ticker.js';
import { systemClock, systemRandom, systemSleep } from '../adapters/clock/system-clock.js';
import { startLocalApi } from '../adapters/http-api/local-api-server.js';
import { ofrepRoutes } from '../adapters/http-api/ofrep-routes.js';
import { errorCode } from '../adapters/error-code.js';
import { createIdentityStore } from '../adapters/identity-store/identity-store.js';
import {
  createLogger,
  type LoggerOptions,
  type RootLogger,
} from '../adapters/logging/create-logger.js';
import { createMetrics } from '../adapters/metrics/create-metrics.js';
import { holdNextTickShape } from '../adapters/node-runtime/next-tick-shape.js';
import { sha256Hex } from '../adapters/system-facts/digest.js';
import { createEvidenceReader } from '../adapters/licensespring/evidence-reader.js';
import { lockStateDirectory } from '../adapters/state-store/directory-lock.js';
import { createStateStore } from '../adapters/state-store/state-store.js';
import { createBootFacts } from '../adapters/system-facts/boot-id.js';
import { createSystemFacts } from '../adapters/system-facts/system-facts.js';
import type { BootFacts } from '../agent/state-ports.js';
import { toSavedState } from '../agent/saved-state.js';
import { trustView } from '../agent/trust-view.js';
import { listenError, stateDirectoryError } from './startup-errors.js';
import { statusView, type LateParts } from './status-view.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { restoreState } from './restore-state.js';
import { trustAnchor } from './trust-anchor.js';
import { agentVersion } from './version.js';

/** Replaceable parts, for tests and benchmarks; production passes none. */
export interface AgentOverrides {
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
  readonly scheduler?: Scheduler;
  readonly ticker?: Ticker;
  readonly systemFacts?: SystemFacts;
  readonly bootFacts?: BootFacts;
  readonly logDestination?: LoggerOptions['destination'];
}

export interface RunningAgent {
  /** The local API's base URL. */
  readonly url: string;
  readonly hardwareId: string;
  readonly view: AgentView;
  refresh(): Promise<SyncReport>;
  /** The agent's log, for what happens to the process around it (signals). */
  readonly log: Logger;
  /** Stops syncing, closes the API and the upstream connections, flushes the logs. */
  stop(): Promise<void>;
}

/** The composition root: builds every adapter, wires them to the agent, starts it. */
export async function startAgent(
  config: ResolvedConfig,
  overrides: AgentOverrides = {},
): Promise<RunningAgent> {
  const clock = overrides.clock ?? systemClock;
  // An agent idles most of its life; its answers must not get slower for it.
  holdNextTickShape();
  const log: RootLogger = createLogger({
    level: config.log.level as LoggerOptions['level'],
    ...(overrides.logDestination === undefined ? {} : { destination: overrides.logDestination }),
  });
  const version = agentVersion();
  const lifetime = new AbortController();
  // Each upstream call in flight, and each retry wait, listens for the agent's end, and stops
  // listening when it is over. sync.concurrency calls at once pass Node's default of 10 listeners
  // and would draw its leak warning; the limit stays finite, so a real leak still warns.
  setMaxListeners(defaultMaxListeners + 2 * config.sync.concurrency, lifetime.signal);
  const cleanups: (() => Promise<void>)[] = [];

  try {
    // Before anything in the directory is read or written: a second agent stops here.
    const lock = await lockStateDirectory(config.stateDirectory).catch((error: unknown) => {
      throw stateDirectoryError(error, config);
    });
    cleanups.push(() => lock.release());

    // The ready path: who the device is, the key saved answers verify with, the saved state, and
    // the local API. Nothing on it waits for the network, so a device boots offline in a blink.
    const [identity, anchor, bootId] = await Promise.all([
      establishIdentity(
        {
          facts: overrides.systemFacts ?? createSystemFacts(),
          store: createIdentityStore(config.stateDirectory),
          digestHex: sha256Hex,
          clock,
          log: log.child({ component: 'identity' }),
        },
        config.hardwareIdOverride,
      ),
      trustAnchor(config),
      (overrides.bootFacts ?? createBootFacts()).bootId(),
    ]).catch((error: unknown) => {
      throw stateDirectoryError(error, config);
    });
    const metrics = createMetrics(new Registry(), {
      version,
      hardwareId: identity.hardwareId,
      upstream: config.upstream.kind,
    });
    metrics.identity(identity.hardwareId, identity.changedComponents);

    const board = new DecisionBoard(
      {
        features: config.features,
        product: config.product,
        whenUnknown: config.policy.whenUnknown,
        offlineGraceMs: config.offline.graceMs,
        rollbackToleranceMs: config.offline.rollbackToleranceMs,
        maxServerAheadMs: MAX_SERVER_AHEAD_MS,
      },
      clock,
    );
    const store = createStateStore({ directory: config.stateDirectory });
    const restored = await restoreState({
      store,
      evidence: createEvidenceReader(anchor.publicKey),
      board,
      hardwareId: identity.hardwareId,
      metrics,
      log: log.child({ component: 'state' }),
      clock,
      bootId,
    });

    const late: LateParts = {
      upstream: {
        kind: config.upstream.kind,
        baseUrl: config.upstream.kind === 'sandbox' ? '(starting)' : config.upstream.baseUrl,
      },
      loop: null,
      stateSave: { lastOkAt: null, lastError: null },
    };
    let reported = board.decisions();
    metrics.decided(reported);
    const view = statusView({ version, config, clock, board, identity, restored, late });
    // The API listens before the sync loop exists; a refresh asked for in between waits for it.
    let loopStarted: (loop: SyncLoop) => void = () => undefined;
    const loopReady = new Promise<SyncLoop>((resolve) => {
      loopStarted = resolve;
    });
    const api = await startLocalApi({
      host: config.http.host,
      port: config.http.port,
      token: config.http.token,
      socket: config.http.socket,
      refresh: async () => (await loopReady).refresh(),
      monotonic: () => clock.monotonic(),
      extraRoutes: ofrepRoutes(view),
      view,
      metrics: {
        contentType: metrics.contentType,
        // Decisions change with time as well as with syncs (an expiry passes), so the gauges are
        // brought up to date when Prometheus asks, and only when the decisions changed.
        render: () => {
          const decisions = board.decisions();
          if (decisions !== reported) metrics.decided((reported = decisions));
          metrics.trust(trustView(board.state(), clock.now(), config.offline.graceMs));
          return metrics.render();
        },
      },
      log: log.child({ component: 'http' }),
    }).catch((error: unknown) => {
      throw listenError(error, config);
    });
    cleanups.push(() => api.close());

    // Off the ready path: the HTTP client (and, without a server, the sandbox) load only now.
    const { connectUpstream } = await import('./upstream.js');
    const upstream = await connectUpstream(
      config,
      anchor,
      clock,
      log.child({ component: 'upstream' }),
    );
    cleanups.push(() => upstream.close());
    late.upstream = { kind: upstream.kind, baseUrl: upstream.baseUrl };
    const syncLoop = new SyncLoop(
      {
        api: upstream.api,
        board,
        clock,
        sleep: overrides.sleep ?? systemSleep,
        random: overrides.random ?? systemRandom,
        metrics,
        scheduler: overrides.scheduler ?? cronScheduler,
        ticker: overrides.ticker ?? monotonicTicker,
        log: log.child({ component: 'sync' }),
        policy: policy(config),
        persist: (state) =>
          recordSave(
            () => store.save(toSavedState(state, identity.hardwareId, clock.now(), bootId)),
            clock,
            metrics,
            late,
          ),
      },
      {
        hardwareId: identity.hardwareId,
        product: config.product,
        featureChecks: config.featureChecks,
        features: config.features,
        concurrency: config.sync.concurrency,
        schedule: config.sync.schedule,
        splayMs: config.sync.splayMs,
        scheduleLongestGapMs: longestCronGapMs(config.sync.schedule),
      },
      lifetime.signal,
    );
    late.loop = syncLoop;
    syncLoop.start();
    loopStarted(syncLoop);
    log.info(
      { url: api.url, hardwareId: identity.hardwareId, upstream: upstream.kind, version },
      'agent started',
    );

    return {
      url: api.url,
      hardwareId: identity.hardwareId,
      view,
      refresh: () => syncLoop.refresh(),
      log: log.child({ component: 'process' }),
      stop: async () => {
        lifetime.abort();
        await syncLoop.stop();
        await closeAll(cleanups);
        log.info({}, 'agent stopped');
        await log.flush();
      },
    };
  } catch (error) {
    lifetime.abort();
    await closeAll(cleanups);
    await log.flush();
    throw error;
  }
}

/** The vendor refuses requests whose Date is 15 minutes off; a server Date further ahead is not believed. */
const MAX_SERVER_AHEAD_MS = 15 * 60 * 1000;

function policy(config: ResolvedConfig) {
  return {
    attempts: config.sync.attempts,
    baseDelayMs: config.sync.backoffBaseMs,
    maxDelayMs: config.sync.backoffMaxMs,
    maxRetryAfterMs: config.sync.maxRetryAfterMs,
  };
}

/** Saves, and makes the outcome visible in /v1/status and the metrics, not only in the logs. */
async function recordSave(
  save: () => Promise<void>,
  clock: Clock,
  metrics: AgentMetrics,
  late: LateParts,
): Promise<void> {
  try {
    await save();
  } catch (error) {
    const at = clock.now();
    metrics.stateSaved(false, at);
    late.stateSave = { ...late.stateSave, lastError: { at, code: errorCode(error) ?? 'unknown' } };
    throw error;
  }
  const at = clock.now();
  metrics.stateSaved(true, at);
  late.stateSave = { lastOkAt: at, lastError: null };
}

async function closeAll(cleanups: readonly (() => Promise<void>)[]): Promise<void> {
  // Last opened, first closed: the API stops taking questions before its sources go away.
  for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => undefined);
}
