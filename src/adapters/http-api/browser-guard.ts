import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { apiError, type ApiError } from './api-errors.js';

/**
 * What a web page in a browser on this device can make the TCP listener do, and no more.
 *
 * DNS rebinding: a page on `evil.example` whose name is made to resolve to 127.0.0.1 can read any
 * answer, but its requests carry `Host: evil.example:7311`. Only the names the agent is known by
 * are answered. A request with no Host at all is still answered: no browser sends one, and
 * scripts on the device that omit it worked before.
 *
 * Cross-site writes: any page may POST here without a CORS preflight (a "simple" request), and
 * the browser says whence it came in `Origin` and `Sec-Fetch-Site`. A POST from any origin but
 * the agent's own is refused. GET answers stay unreadable cross-origin (no CORS headers).
 *
 * The Unix socket is not guarded: a browser cannot reach it.
 */
export type BrowserGuard = (req: IncomingMessage) => ApiError | null;

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** The allowed Host and Origin values are fixed at start: a request costs a set lookup or two. */
export function browserGuard(
  configuredHost: string,
  port: number,
  options: { readonly tokenRequired: boolean },
): BrowserGuard {
  const names = new Set<string>(LOOPBACK_NAMES);
  const wildcard = configuredHost === '0.0.0.0' || configuredHost === '::';
  if (configuredHost !== '' && !wildcard) names.add(bracketed(configuredHost.toLowerCase()));
  const hosts = new Set<string>();
  const origins = new Set<string>();
  for (const name of names) {
    // A name with no port can only have come from a page served by port 80 of this very name: a
    // loopback origin, which a rebinding page is not.
    hosts.add(name).add(`${name}:${String(port)}`);
    origins.add(`http://${name}:${String(port)}`);
    if (port === 80) origins.add(`http://${name}`);
  }
  const misdirected = apiError('misdirected_request', 'this agent does not answer to that Host');
  const crossSite = apiError('cross_site_request', 'requests from other sites are refused');
  // With a token, a rebinding page gets nothing but the probes: it cannot know the token. And a
  // device served beyond loopback (which needs a token) is asked for by names the agent cannot
  // know, such as a fleet's DNS names for it.
  const checkHost = !options.tokenRequired;
  // Asked only when the set has missed, which a well-behaved client never makes happen.
  const known = (host: string): boolean => {
    const lower = host.toLowerCase();
    return hosts.has(lower) || isAddress(lower);
  };
  return (req) => {
    const host = req.headers.host;
    if (checkHost && host !== undefined && !hosts.has(host) && !known(host)) {
      return misdirected;
    }
    // A GET or HEAD changes nothing, and its answer stays in the browser's cross-origin jail.
    if (req.method === 'GET' || req.method === 'HEAD') return null;
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return crossSite;
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return crossSite;
    return null;
  };
}

/** An IP address, with or without a port: a page at an address has no name to rebind. */
function isAddress(host: string): boolean {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end !== -1 && isIP(host.slice(1, end)) === 6;
  }
  const colon = host.lastIndexOf(':');
  return isIP(colon === -1 ? host : host.slice(0, colon)) === 4;
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
