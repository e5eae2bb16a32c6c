import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../agent/ports.js';
import { apiError, apiErrorFor } from './api-errors.js';
import type { BrowserGuard } from './browser-guard.js';
import { MAX_BODY_BYTES } from './read-body.js';
import { sendError } from './reply.js';
import { routeTable, type Route } from './routes.js';

/**
 * One request in, one JSON answer out, whatever happens: unknown paths, wrong methods, missing
 * tokens and failures inside a route all end in a JSON error body, never a stack trace.
 */
export function requestHandler(options: {
  readonly routes: readonly Route[];
  /** Null: no token asked (loopback, or the Unix socket, guarded by its file mode). */
  readonly authorized: ((req: IncomingMessage) => boolean) | null;
  /** Null on the Unix socket, which no browser can reach. */
  readonly guard: BrowserGuard | null;
  readonly log: Logger;
}) {
  const match = routeTable(options.routes);
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (options.guard !== null) {
      const refused = options.guard(req);
      if (refused !== null) {
        sendError(res, refused);
        return;
      }
    }
    const path = safeDecode(pathOf(req.url ?? '/'));
    if (path === null) {
      sendError(res, apiError('bad_request', 'the path is not valid percent-encoding'));
      return;
    }
    // Every route's bodies are small: a declared size over the limit is refused before routing.
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      sendError(
        res,
        apiError('payload_too_large', `bodies are limited to ${String(MAX_BODY_BYTES)} bytes`),
      );
      return;
    }
    const found = match(req.method ?? 'GET', path);
    if (found.kind === 'none') {
      sendError(res, apiError('not_found', `no such path: ${truncate(path)}`));
      return;
    }
    if (found.kind === 'wrong-method') {
      sendError(
        res,
        apiError('method_not_allowed', `${truncate(req.method ?? '?')} is not allowed here`),
        { allow: [...found.allow, ...(found.allow.includes('GET') ? ['HEAD'] : [])].join(', ') },
      );
      return;
    }
    if (options.authorized !== null && found.route.open !== true && !options.authorized(req)) {
      sendError(res, apiError('unauthorized', 'a bearer token is required'), {
        'www-authenticate': 'Bearer',
      });
      return;
    }
    // Most routes answer synchronously; only those that return a promise get one awaited, which
    // keeps a microtask off every feature question.
    try {
      const pending = found.route.handler(req, res, found.rest, failed);
      if (pending !== undefined)
        pending.catch((error: unknown) => {
          failed(res, error);
        });
    } catch (error) {
      failed(res, error);
    }
  };

  /** A route failed: a JSON 500 if nothing was sent yet, else the connection is cut. */
  function failed(res: ServerResponse, error: unknown): void {
    const path = truncate(pathOf(res.req.url ?? '/'));
    const answer = apiErrorFor(error);
    // A coded answer is the agent working as meant (shutting down, say); a 500 is a bug.
    if (answer.status >= 500 && answer.status !== 503) {
      options.log.error({ err: error, path }, 'local API request failed');
    }
    if (!res.headersSent) sendError(res, answer);
    else res.destroy();
  }
}

/** The request target without its query: what is routed on, and all that is ever logged. */
function pathOf(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

function safeDecode(text: string): string | null {
  // Most paths have nothing to decode; asking costs less than decoding.
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** Paths and methods come from anyone who can connect: echo them back only in small doses. */
function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
