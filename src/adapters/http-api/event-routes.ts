import type { AgentView } from '../../agent/agent-view.js';
import type { DecisionChange } from '../../domain/decision-changes.js';
import type { EventHub, StreamFormat } from './event-hub.js';
import { presentFeature } from './present.js';
import type { Route } from './routes.js';

export const EVENTS_PATH = '/v1/events';

/**
 * `GET /v1/events`: on connect a `ready` event with every listed feature's answer (the same as
 * `GET /v1/features`), so that a client starts from a true cache; then a `decision` event for each
 * feature whose answer changes, with what it was and the whole new answer.
 */
export function eventRoutes(view: AgentView, hub: EventHub): Route[] {
  const format: StreamFormat = {
    kind: 'agent',
    greeting: (id) => {
      const decisions = view.decisions();
      const data = {
        features: decisions.features.map(presentFeature),
        at: new Date(decisions.decidedAt).toISOString(),
      };
      return `event: ready\nid: ${String(id)}\ndata: ${JSON.stringify(data)}\n\n`;
    },
    changes: (changes, id) => ({
      text: changes.map((change) => decisionEvent(change, id)).join(''),
      events: changes.length,
    }),
  };
  return [
    {
      method: 'GET',
      path: EVENTS_PATH,
      handler: (req, res) => {
        hub.serve(req, res, format);
      },
    },
  ];
}

function decisionEvent(change: DecisionChange, id: number): string {
  const { from } = change;
  const data = {
    feature: change.feature,
    from: { allowed: from.allowed, state: from.state, reason: from.reason },
    to: presentFeature(change.to),
    at: new Date(change.at).toISOString(),
  };
  return `event: decision\nid: ${String(id)}\ndata: ${JSON.stringify(data)}\n\n`;
}
