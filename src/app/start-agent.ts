import { defaultMaxListeners, setMaxListeners } from 'node:events';
import { Registry } from 'prom-client';
import type { AgentView } from '../agent/agent-view.js';
import { MAX_ANSWER_DATE_DISTANCE_MS } from '../agent/answer-freshness.js';
import { DecisionBoard } from '../agent/decision-board.js';
import { establishIdentity } from '../agent/establish-identity.js';
import type { SystemFacts } from '../agent/identity-ports.js';
import type { AgentMetrics, Clock, Logger, Random, Sleep, Ticker } from '../agent/ports.js';
import { SyncLoop, type Scheduler } from '../agent/sync-loop.js';
import type { SyncReport } from '../agent/sync-cycle.js';
import type { SyncTrigger } from '../agent/sync-event.js';
import { cronScheduler, longestCronGapMs } from '../adapters/clock/cron-scheduler.js';
import { monotonicTicker } from '../adapters/clock/monotonic-ticker.js';
import { systemClock, systemRandom, systemSleep } from '../adapters/clock/system-clock.js';
import { startLocalApi } from '../adapters/http-api/local-api-server.js';
import { ofrepRoutes } from '../adapters/http-api/ofrep-routes.js';
import { errorCode } from '../adapters/error-code.js';
import { AgentError } from '../domain/agent-error.js';
import { createIdentityStore } from '../adapters/identity-store/identity-store.js';
import {
  createLogger,
  type LoggerOptions,
  type RootLogger,
} from '../adapters/logging/create-logger.js';
import { createMetrics } from '../adapters/metrics/create-metrics.js';
import { createReloadMetrics } from '../adapters/metrics/reload-metrics.js';
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
import { probeMachine, watchMachine, type DetectMachine } from './machine.js';
import { createActivation } from './start-activation.js';
import type { MachineKind } from '../domain/machine-verdict.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { namingRejections } from './credential-hint.js';
import { reloadConfig, type ReloadOutcome } from './reload.js';
import { restoreState } from './restore-state.js';
import { restoreLem, startLem } from './start-lem.js';
import { startEvents } from './start-events.js';
import { createLemMetrics } from '../adapters/metrics/lem-metrics.js';
import { trustAnchor, type TrustAnchor } from './trust-anchor.js';
import type { ConnectedUpstream } from './upstream.js';
import { agentVersion } from './version.js';
import * as floating from './start-floating.js';

/** Replaceable parts, for tests and benchmarks; production passes none. */
export interface AgentOverrides {
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: Random;
  readonly scheduler?: Scheduler;
  readonly ticker?: Ticker;
  readonly systemFacts?: SystemFacts;
  readonly bootFacts?: BootFacts;
  /** What the machine is; the probe process by default. */
  readonly detectMachine?: DetectMachine;
  readonly logDestination?: LoggerOptions['destination'];
}

/** What the process around the agent wants to hear of (a service manager's status line). */
export interface AgentHooks {
  /** After each sync has been applied and saved. */
  readonly onSynced?: () => void;
}

export interface RunningAgent {
  /** The local API's base URL. */
  readonly url: string;
  readonly hardwareId: string;
  readonly view: AgentView;
  refresh(trigger?: Extract<SyncTrigger, 'refresh' | 'signal'>): Promise<SyncReport>;
  /**
   * Reads the configuration again and puts it in force, or keeps the running one and says why
   * (src/app/reload.ts). The local API, the decisions and the state store stay; the sync loop and
   * the upstream connection are made anew.
   */
  reload(load: () => Promise<ResolvedConfig>): Promise<ReloadOutcome>;
  /** The agent's log, for what happens to the process around it (signals). */
  readonly log: Logger;
  /** Stops syncing, closes the API and the upstream connections, flushes the logs. */
  stop(): Promise<void>;
}

/** The composition root: builds every adapter, wires them to the agent, starts it. */
export async function startAgent(
  initialConfig: ResolvedConfig,
  overrides: AgentOverrides = {},
  hooks: AgentHooks = {},
): Promise<RunningAgent> {
  /** The configuration in force; a reload replaces it whole. */
  let config = initialConfig;
  const clock = overrides.clock ?? systemClock;
  // An agent idles most of its life; its answers must not get slower for it.
  holdNextTickShape();
  const log: RootLogger = createLogger({
    level: config.log.level as LoggerOptions['level'],
    format: config.log.format ?? 'json',
    ...(overrides.logDestination === undefined ? {} : { destination: overrides.logDestination }),
  });
  const version = agentVersion();
  const lifetime = new AbortController();
  const cleanups: (() => Promise<void>)[] = [];
  const lemLog = log.child({ component: 'lem' });

  try {
    // Before anything in the directory is read or written: a second agent stops here.
    const lock = await lockStateDirectory(config.stateDirectory).catch((error: unknown) => {
      throw stateDirectoryError(error, config);
    });
    cleanups.push(() => lock.release());

    // The ready path: who the device is, the key saved answers verify with, the saved state, and
    // the local API. Nothing on it waits for the network, so a device boots offline in a blink.
    const [identity, firstAnchor, bootId] = await Promise.all([
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
    const registry = new Registry();
    const metrics = createMetrics(registry, {
      version,
      hardwareId: identity.hardwareId,
      upstream: config.upstream.kind,
      profile: config.metrics.profile,
    });
    metrics.identity(identity.hardwareId, identity.changedComponents);
    const reloadMetrics = createReloadMetrics(registry);
    const activation = createActivation(config, {
      registry,
      clock,
      log: log.child({ component: 'activation' }),
      hardwareId: identity.hardwareId,
      refresh: () => void loopReady.then((loop) => loop.refresh()).catch(() => undefined),
    });
    const seats = floating.createSeatKeeper(
      {
        ...{ registry, clock, metrics, policy: policy(config) },
        sleep: overrides.sleep ?? systemSleep,
        random: overrides.random ?? systemRandom,
        ticker: overrides.ticker ?? monotonicTicker,
        log: log.child({ component: 'floating' }),
        refresh: () => void loopReady.then((loop) => loop.refresh()).catch(() => undefined),
      },
      config,
      identity.hardwareId,
      lifetime.signal,
    );

    const board = new DecisionBoard(boardPolicy(config, 'unknown'), clock);
    const machine = await watchMachine(
      config,
      overrides.detectMachine ?? probeMachine,
      log.child({ component: 'machine' }),
      (verdict) => {
        board.reconfigure(boardPolicy(config, verdict.kind));
      },
    );
    board.reconfigure(boardPolicy(config, machine.current().kind));
    const store = createStateStore({ directory: config.stateDirectory });
    const restored = await restoreState({
      store,
      evidence: createEvidenceReader(firstAnchor.publicKey),
      board,
      hardwareId: identity.hardwareId,
      metrics,
      log: log.child({ component: 'state' }),
      clock,
      bootId,
    });

    const deviceMac = identity.facts.components.mac;
    const lem = await restoreLem(config, identity.hardwareId, deviceMac, board, clock, lemLog);
    const lemMetrics = lem === null ? null : createLemMetrics(registry);

    const late: LateParts = {
      upstream: {
        kind: config.upstream.kind,
        baseUrl: config.upstream.kind === 'sandbox' ? '(starting)' : config.upstream.baseUrl,
      },
      loop: null,
      lastBeforeReload: null,
      stateSave: { lastOkAt: null, lastError: null },
    };
    let reported = board.decisions();
    metrics.decided(reported);
    const view = statusView({
      version,
      config: () => config,
      clock,
      board,
      identity,
      restored,
      late,
      lem: lem?.parts ?? null,
      machine: () => machine.current(),
      floating: () => floating.floatingStatus(seats),
      activation: () => (activation === null ? {} : { activation: activation.activator.view() }),
    });
    const events = startEvents({
      ...{ board, view, settings: config.events, registry, profile: config.metrics.profile },
      ticker: overrides.ticker ?? monotonicTicker,
      log: log.child({ component: 'events' }),
    });
    // The API listens before the sync loop exists, and a reload replaces the loop; a refresh
    // asked for in between waits for the next one.
    let loopStarted: (loop: SyncLoop) => void = () => undefined;
    const questions = floating.questionsWithSeatUse(metrics.featureAnswered, seats);
    let loopReady = new Promise<SyncLoop>((resolve) => {
      loopStarted = resolve;
    });
    const api = await startLocalApi({
      host: config.http.host,
      port: config.http.port,
      token: config.http.token,
      socket: config.http.socket,
      refresh: async () => (await loopReady).refresh('refresh'),
      monotonic: () => clock.monotonic(),
      extraRoutes: [
        ...ofrepRoutes(floating.viewWithBulkUse(view, seats), questions, events.hub),
        ...events.routes,
      ],
      streams: events,
      view,
      questions,
      metrics: {
        contentType: metrics.contentType,
        // Decisions change with time as well as with syncs (an expiry passes), so the gauges are
        // brought up to date when Prometheus asks, and only when the decisions changed.
        render: () => {
          const decisions = board.decisions();
          if (decisions !== reported) metrics.decided((reported = decisions));
          metrics.trust(trustView(board.state(), clock.now(), config.offline.graceMs));
          metrics.nextSync(late.loop?.nextSync() ?? null);
          if (lem !== null) lemMetrics?.show(lem.parts.board.snapshot());
          return metrics.render();
        },
      },
      log: log.child({ component: 'http' }),
    }).catch((error: unknown) => {
      throw listenError(error, config);
    });
    cleanups.push(() => api.close());

    /** The sync loop and the upstream it calls, made from one configuration; a reload replaces both. */
    interface SyncParts {
      readonly loop: SyncLoop;
      readonly upstream: ConnectedUpstream;
      /** `beforeClose` runs once the loop has stopped, while the upstream is still open. */
      stop(beforeClose?: () => Promise<void>): Promise<void>;
    }
    // Off the ready path: the HTTP client (and, without a server, the sandbox) load only now.
    const connect = async (settings: ResolvedConfig, anchor: TrustAnchor) => {
      const { connectUpstream } = await import('./upstream.js');
      return connectUpstream(settings, anchor, clock, log.child({ component: 'upstream' }));
    };
    const startSync = (
      settings: ResolvedConfig,
      upstream: ConnectedUpstream,
      trigger: 'boot' | 'reload',
    ): SyncParts => {
      const generation = new AbortController();
      const signal = AbortSignal.any([lifetime.signal, generation.signal]);
      // Each upstream call in flight, and each retry wait, listens for the loop's end, and stops
      // listening when it is over. sync.concurrency calls at once pass Node's default of 10
      // listeners and would draw its leak warning; the limit stays finite, so a leak still warns.
      setMaxListeners(defaultMaxListeners + 2 * settings.sync.concurrency, signal);
      seats.connect(upstream.api, upstream.floating);
      activation?.connect(upstream.activation);
      seats.reconfigure(floating.idleReleaseMs(settings));
      const loop = new SyncLoop(
        {
          api: seats.observing(
            settings.upstream.kind === 'licensespring'
              ? namingRejections(
                  upstream.api,
                  settings.upstream.auth,
                  log.child({ component: 'upstream' }),
                )
              : upstream.api,
          ),
          seats,
          board,
          clock,
          sleep: overrides.sleep ?? systemSleep,
          random: overrides.random ?? systemRandom,
          metrics,
          scheduler: overrides.scheduler ?? cronScheduler,
          ticker: overrides.ticker ?? monotonicTicker,
          log: log.child({ component: 'sync' }),
          policy: policy(settings),
          persist: async (state) => {
            await recordSave(
              () => store.save(toSavedState(state, identity.hardwareId, clock.now(), bootId)),
              clock,
              metrics,
              late,
            );
            hooks.onSynced?.();
            void activation?.activator.review(state.observations, signal);
          },
        },
        {
          hardwareId: identity.hardwareId,
          product: settings.product,
          featureChecks: settings.featureChecks,
          features: settings.features,
          concurrency: settings.sync.concurrency,
          schedule: settings.sync.schedule,
          splayMs: settings.sync.splayMs,
          scheduleLongestGapMs:
            settings.sync.schedule === null ? Infinity : longestCronGapMs(settings.sync.schedule),
          cadence: settings.sync.cadence,
          offlineGraceMs: settings.offline.graceMs,
        },
        signal,
      );
      late.upstream = { kind: upstream.kind, baseUrl: upstream.baseUrl };
      late.loop = loop;
      loop.start(trigger);
      loopStarted(loop);
      seats.start();
      return {
        loop,
        upstream,
        stop: async (beforeClose) => {
          // Upstream calls end at once; a save in flight is finished, never cut.
          generation.abort();
          await loop.stop();
          await beforeClose?.().catch(() => undefined);
          // A connection that will not close cleanly must not stop the next loop from starting.
          await upstream.close().catch(() => undefined);
        },
      };
    };

    const upstream = await connect(config, firstAnchor);
    let sync: SyncParts | null = null;
    // On stop, the seats are given back after the loop has stopped and before the upstream closes.
    cleanups.push(() =>
      sync === null ? upstream.close() : sync.stop(() => floating.releaseSeatsOnStop(seats)),
    );
    sync = startSync(config, upstream, 'boot');

    const processLog = log.child({ component: 'process' });
    let reloading: Promise<ReloadOutcome> | null = null;
    const apply = async (next: ResolvedConfig): Promise<void> => {
      const nextUpstream = await connect(next, await trustAnchor(next));
      if (lifetime.signal.aborted) {
        await nextUpstream.close();
        throw new AgentError('agent_stopping', 'the agent is stopping');
      }
      loopReady = new Promise<SyncLoop>((resolve) => {
        loopStarted = resolve;
      });
      await sync?.stop();
      late.lastBeforeReload = sync?.loop.lastReport() ?? late.lastBeforeReload;
      config = next;
      log.setLevel(next.log.level as LoggerOptions['level']);
      board.reconfigure(boardPolicy(next, machine.current().kind));
      sync = startSync(next, nextUpstream, 'reload');
    };

    if (lem !== null && lemMetrics !== null) {
      // Its own loop, state and failures, started beside the agent rather than before it is
      // announced (the sandbox makes a certificate first): LEM never holds up LicenseSpring.
      const lemStarted = startLem({
        ...{ restored: lem, hardwareId: identity.hardwareId, deviceMac, clock, log: lemLog },
        ...{ stateDirectory: config.stateDirectory, metrics: lemMetrics, signal: lifetime.signal },
        sleep: overrides.sleep ?? systemSleep,
        scheduler: overrides.scheduler ?? cronScheduler,
      }).catch((error: unknown) => {
        lemLog.error({ err: error }, 'LEM could not be started; LicenseSpring answers go on');
        return null;
      });
      cleanups.push(async () => {
        await (
          await lemStarted
        )?.();
      });
    }
    log.info(
      { url: api.url, hardwareId: identity.hardwareId, upstream: upstream.kind, version },
      'agent started',
    );
    // After the ready path, which the probe process would otherwise slow down.
    void machine.detect();

    return {
      url: api.url,
      hardwareId: identity.hardwareId,
      view,
      refresh: async (trigger = 'refresh') => (await loopReady).refresh(trigger),
      reload: (load) => {
        // One reload at a time: a second SIGHUP waits, then reads the file as it is then.
        const previous = reloading ?? Promise.resolve(null);
        const current = previous.then(() =>
          reloadConfig({
            load,
            target: { running: () => config, apply },
            log: processLog,
            metrics: reloadMetrics,
          }),
        );
        reloading = current;
        return current;
      },
      log: processLog,
      stop: async () => {
        lifetime.abort();
        await reloading?.catch(() => undefined);
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

function boardPolicy(config: ResolvedConfig, machine: MachineKind) {
  return {
    machine,
    features: config.features,
    product: config.product,
    whenUnknown: config.policy.whenUnknown,
    offlineGraceMs: config.offline.graceMs,
    rollbackToleranceMs: config.offline.rollbackToleranceMs,
    // A server Date further ahead than the vendor's own window is not believed.
    maxServerAheadMs: MAX_ANSWER_DATE_DISTANCE_MS,
  };
}

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
