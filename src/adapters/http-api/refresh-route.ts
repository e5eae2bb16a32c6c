import type { SyncReport } from '../../agent/sync-cycle.js';
import { outcomeLabel } from '../../domain/upstream-outcome.js';
import { apiError } from './api-errors.js';
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
