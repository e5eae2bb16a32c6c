import type { SyncReport } from '../../agent/sync-cycle.js';
import { outcomeLabel } from '../../domain/upstream-outcome.js';
import type { IncomingMessage } from 'node:http';
import { apiError } from './api-errors.js';
import { isJsonType } from './read-body.js';
import { sendError, sendJson } from './reply.js';
import type { Route } from './routes.js';

/** Syncs started through the API are at least this far apart: every call costs fleet quota. */
export const REFRESH_INTERVAL_MS = 10_000;

/**
 * `POST /v1/refresh`: sync now and answer when the sync has finished or failed. A call while
 * another call's refresh runs joins it; a call within the interval after the last one is turned
 * away with 429.
 */
export function refreshRoute(refresh: () => Promise<SyncReport>, monotonic: () => number): Route {
  let lastStarted = -Infinity;
  let running: Promise<SyncReport> | null = null;
  return {
    method: 'POST',
    path: '/v1/refresh',
    handler: async (req, res) => {
      req.resume();
      // A browser page may POST text/plain anywhere without asking first; `curl -X POST` sends
      // no body at all. Only those two shapes are a refresh: no body, or a JSON one (ignored).
      if (hasBody(req) && !isJsonType(req.headers['content-type'])) {
        sendError(res, apiError('unsupported_media_type', 'send no body, or application/json'));
        return;
      }
      if (running === null) {
        const wait = lastStarted + REFRESH_INTERVAL_MS - monotonic();
        if (wait > 0) {
          sendError(res, apiError('rate_limited', 'a refresh was asked for just now'), {
            'retry-after': String(Math.ceil(wait / 1000)),
          });
          return;
        }
        lastStarted = monotonic();
        running = refresh().finally(() => {
          running = null;
        });
      }
      const report = await running;
      const body = {
        result: report.result,
        finishedAt: new Date(report.finishedAt).toISOString(),
        deviceLicenses: outcomeLabel(report.deviceLicenses),
      };
      if (report.result === 'failed') {
        const error = apiError('sync_failed', `the sync failed: ${body.deviceLicenses}`);
        sendJson(res, error.status, JSON.stringify({ ...JSON.parse(error.body), ...body }));
      } else sendJson(res, 200, JSON.stringify(body));
    },
  };
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
