import type { Registry } from 'prom-client';
import type { FeatureQuestions, Logger } from '../agent/ports.js';
import type { RetryDeps } from '../agent/call-with-retry.js';
import { SeatKeeper } from '../agent/seat-keeper.js';
import type { Ticker } from '../agent/ports.js';
import type { AgentStatus, AgentView } from '../agent/agent-view.js';
import { createFloatingMetrics } from '../adapters/metrics/floating-metrics.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { MINUTE, SECOND } from '../domain/time.js';

/** The schema's default, for configs built by hand without a `floating` section. */
const DEFAULT_IDLE_RELEASE_MS = 30 * MINUTE;

/**
 * How long the seats may take to be given back on stop, all at once. There is no stop deadline
 * in the process itself: systemd's `TimeoutStopSec=15s` (systemd/edge-license-agent.service) is
 * the one that counts, and this leaves most of it to the save in flight and the log flush.
 */
export const STOP_RELEASE_DEADLINE_MS = 5 * SECOND;

export function idleReleaseMs(config: ResolvedConfig): number {
  return config.floating?.idleReleaseMs ?? DEFAULT_IDLE_RELEASE_MS;
}

/** The seat keeper, its metrics on the agent's registry; started once the first sync loop runs. */
export function createSeatKeeper(
  deps: RetryDeps & {
    readonly registry: Registry;
    readonly ticker: Ticker;
    readonly log: Logger;
    readonly refresh: () => void;
  },
  config: ResolvedConfig,
  hardwareId: string,
  signal: AbortSignal,
): SeatKeeper {
  return new SeatKeeper(
    { ...deps, seatMetrics: createFloatingMetrics(deps.registry) },
    { hardwareId, idleReleaseMs: idleReleaseMs(config) },
    signal,
  );
}

/**
 * Feature questions counted as before, and told to the keeper: a `Set.add` per question, so the
 * hot path stays what it was.
 */
export function questionsWithSeatUse(
  questions: FeatureQuestions,
  seats: SeatKeeper,
): FeatureQuestions {
  return (surface, feature, allowed) => {
    questions(surface, feature, allowed);
    if (feature !== null) seats.use(feature);
  };
}

/**
 * The view OFREP answers from, where a bulk evaluation (the only caller of `decisions()` there)
 * counts as a question about every feature: a provider that evaluates in bulk and caches uses its
 * seats as surely as one that asks flag by flag.
 */
export function viewWithBulkUse(view: AgentView, seats: SeatKeeper): AgentView {
  return {
    ...view,
    decisions: () => {
      seats.useAll();
      return view.decisions();
    },
  };
}

/** Every seat given back on stop, within `STOP_RELEASE_DEADLINE_MS`. */
export async function releaseSeatsOnStop(seats: SeatKeeper): Promise<void> {
  await seats.releaseAll(AbortSignal.timeout(STOP_RELEASE_DEADLINE_MS));
}

/** The `/v1/status` section. */
export function floatingStatus(seats: SeatKeeper): Pick<AgentStatus, 'floating'> {
  return { floating: { seats: seats.seats() } };
}
