import type { AgentView } from '../../../agent/agent-view.js';
import { presentStatus } from '../present.js';
import type { Route } from '../routes.js';
import { PAGE_CSP } from './page-style.js';
import { renderStatusPage } from './render-status-page.js';

/**
 * What a browser may do with the page: nothing beyond showing it. No script runs, nothing loads,
 * no one may frame it, and no one keeps a copy.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

/** `GET /`: the status page for people on site, from the same view as `/v1/status`. */
export function statusPageRoute(view: AgentView): Route {
  return {
    method: 'GET',
    path: '/',
    handler: (_req, res) => {
      const status = view.status();
      const now = status.offline.trustedNow;
      const body = renderStatusPage({ status: presentStatus(status), now });
      res.writeHead(200, { ...PAGE_HEADERS, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
  };
}
