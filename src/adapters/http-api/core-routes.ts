import type { AgentView } from '../../agent/agent-view.js';
import type { FeatureQuestions } from '../../agent/ports.js';
import type { FeatureDecision } from '../../domain/decision.js';
import { apiError } from './api-errors.js';
import { presentFeature, presentStatus } from './present.js';
import { sendError, sendJson } from './reply.js';
import type { Route } from './routes.js';
import { statusPageRoute } from './status-page/status-page-route.js';

export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

/** Feature codes are short identifiers; a longer one is not a feature, and is not echoed back. */
const MAX_CODE_LENGTH = 256;

/** Health, readiness, status (as JSON, and as a page at `/`), features and metrics. */
export function coreRoutes(
  view: AgentView,
  metrics: MetricsSource,
  questions: FeatureQuestions,
): Route[] {
  // The hot path: a decision is immutable, so its JSON is made once and reused until it changes.
  const featureBodies = new WeakMap<FeatureDecision, string>();
  const featureBody = (decision: FeatureDecision): string => {
    let body = featureBodies.get(decision);
    if (body === undefined) {
      body = JSON.stringify(presentFeature(decision));
      featureBodies.set(decision, body);
    }
    return body;
  };

  return [
    statusPageRoute(view),
    {
      method: 'GET',
      path: '/healthz',
      open: true,
      handler: (_req, res) => {
        sendJson(res, 200, '{"status":"ok"}');
      },
    },
    {
      method: 'GET',
      path: '/readyz',
      open: true,
      handler: (_req, res) => {
        if (view.ready()) sendJson(res, 200, '{"ready":true}');
        else sendError(res, apiError('not_ready', 'no decision yet: waiting for the first answer'));
      },
    },
    {
      method: 'GET',
      path: '/v1/status',
      handler: (_req, res) => {
        sendJson(res, 200, JSON.stringify(presentStatus(view.status())));
      },
    },
    {
      method: 'GET',
      path: '/v1/features',
      handler: (_req, res) => {
        sendJson(
          res,
          200,
          `{"features":[${view.decisions().features.map(featureBody).join(',')}]}`,
        );
      },
    },
    {
      method: 'GET',
      path: '/v1/features/',
      prefix: true,
      handler: (_req, res, code) => {
        if (code.includes('/') || code.length > MAX_CODE_LENGTH) {
          sendError(res, apiError('not_found', 'no such feature code'));
          return;
        }
        const listed = view.listedFeature(code);
        const decision = listed ?? view.feature(code);
        questions('api', listed === undefined ? null : code, decision.allowed);
        sendJson(res, 200, featureBody(decision));
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => {
        const text = await metrics.render();
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(text);
      },
    },
  ];
}
