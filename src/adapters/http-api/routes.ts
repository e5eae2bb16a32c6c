import type { IncomingMessage, ServerResponse } from 'node:http';

export type Method = 'GET' | 'POST';

/**
 * `rest`: for a prefix route, what follows the prefix (already URL-decoded). A handler that
 * answers from a callback hands what it throws there to `fail`, which answers with a JSON 500;
 * one that returns a promise has its rejection handled the same way.
 */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
  fail: (res: ServerResponse, error: unknown) => void,
) => Promise<void> | void;

export interface Route {
  readonly method: Method;
  /** An exact path, or a prefix ending in `/` whose remainder is passed as `rest`. */
  readonly path: string;
  readonly prefix?: boolean;
  /** Answered without the bearer token: liveness and readiness probes. */
  readonly open?: boolean;
  readonly handler: Handler;
}

export type Match =
  | { readonly kind: 'found'; readonly route: Route; readonly rest: string }
  | { readonly kind: 'wrong-method'; readonly allow: readonly Method[] }
  | { readonly kind: 'none' };

/** A fixed table: exact paths in a map, then the few prefixes, longest first. */
export function routeTable(routes: readonly Route[]) {
  const exact = group(routes.filter((r) => r.prefix !== true));
  const prefixes = [...group(routes.filter((r) => r.prefix === true))].sort(
    ([a], [b]) => b.length - a.length,
  );
  return (method: string, path: string): Match => {
    let candidates = exact.get(path);
    let rest = '';
    if (candidates === undefined) {
      const prefix = prefixes.find(([p]) => path.startsWith(p) && path.length > p.length);
      if (prefix === undefined) return { kind: 'none' };
      candidates = prefix[1];
      rest = path.slice(prefix[0].length);
    }
    const wanted = method === 'HEAD' ? 'GET' : method;
    const route = candidates.find((r) => r.method === wanted);
    if (route === undefined)
      return { kind: 'wrong-method', allow: candidates.map((r) => r.method) };
    return { kind: 'found', route, rest };
  };
}

/** Routes by path, so that a request finds every method of its path in one lookup. */
function group(routes: readonly Route[]): Map<string, readonly Route[]> {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  return byPath;
}
