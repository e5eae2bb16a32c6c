import type { Registry } from 'prom-client';
import type { AgentView } from '../agent/agent-view.js';
import { DecisionWatch, type WatchedBoard } from '../agent/decision-watch.js';
import type { Logger, Ticker } from '../agent/ports.js';
import { EventHub } from '../adapters/http-api/event-hub.js';
import { eventRoutes } from '../adapters/http-api/event-routes.js';
import type { Route } from '../adapters/http-api/routes.js';
import { createEventMetrics, uncountedEvents } from '../adapters/metrics/event-metrics.js';
import type { ResolvedConfig } from '../config/resolved-config.js';

export interface AgentEvents {
  /** `GET /v1/events`. */
  readonly routes: readonly Route[];
  /** For OFREP's notifications, served from the same streams. */
  readonly hub: EventHub;
  /** Ends every stream and stops watching. */
  close(): void;
}

/**
 * Decision changes pushed to applications: a watch on the board (every change it hears of, and
 * each instant a decision changes by time), and the streams that tell subscribers.
 */
export function startEvents(parts: {
  readonly board: WatchedBoard;
  readonly view: AgentView;
  readonly settings: ResolvedConfig['events'];
  readonly ticker: Ticker;
  readonly registry: Registry;
  readonly profile: ResolvedConfig['metrics']['profile'];
  readonly log: Logger;
}): AgentEvents {
  const watch = new DecisionWatch(parts.board, parts.ticker, parts.log);
  // Streams to the device's own applications: of use on the device, not worth a fleet's series.
  const metrics = parts.profile === 'full' ? createEventMetrics(parts.registry) : uncountedEvents;
  const hub = new EventHub(watch, parts.settings, metrics, parts.log);
  return {
    routes: eventRoutes(parts.view, hub),
    hub,
    close: () => {
      hub.close();
      watch.stop();
    },
  };
}
