import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventStreamMetrics, StreamKind } from '../http-api/event-hub.js';

const STREAMS: readonly StreamKind[] = ['agent', 'ofrep'];

/**
 * `license_agent_event_subscribers` and `license_agent_events_sent_total`, by stream: the local
 * API's own (`agent`) and OFREP's notifications (`ofrep`); every series at 0 from the start.
 */
export function createEventMetrics(registry: Registry): EventStreamMetrics {
  const subscribers = new Gauge({
    name: 'license_agent_event_subscribers',
    help: 'Event streams (Server-Sent Events) open now, by stream: agent (/v1/events), ofrep (/ofrep/v1/events).',
    labelNames: ['stream'],
    registers: [registry],
  });
  const sent = new Counter({
    name: 'license_agent_events_sent_total',
    help: 'Events written to event-stream subscribers, by stream; heartbeats and the greeting on connect are not counted.',
    labelNames: ['stream'],
    registers: [registry],
  });
  for (const stream of STREAMS) {
    subscribers.set({ stream }, 0);
    sent.inc({ stream }, 0);
  }
  return {
    subscribers: (stream, count) => {
      subscribers.set({ stream }, count);
    },
    sent: (stream, events) => {
      sent.inc({ stream }, events);
    },
  };
}

/** For the `lean` profile, which exports none of these. */
export const uncountedEvents: EventStreamMetrics = {
  subscribers: () => undefined,
  sent: () => undefined,
};
