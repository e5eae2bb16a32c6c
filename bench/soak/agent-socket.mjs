// The agent's local API over its Unix socket, as a local application uses it: feature questions at
// a steady rate, /metrics scraped as Prometheus would, the probes at the end.
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

/**
 * A client of the socket as the agent's client library (src/client/transport.ts) makes one: undici,
 * connections kept alive and let go before the server's keep-alive timeout says it closes them.
 */
export function socketClient(socketPath) {
  const dispatcher = new Agent({ connect: { socketPath }, connections: 4 });
  const get = async (path) => {
    const response = await request(`http://localhost${path}`, {
      dispatcher,
      signal: AbortSignal.timeout(5_000),
    });
    return { status: response.statusCode, body: await response.body.text() };
  };
  return { get, close: () => dispatcher.close() };
}

/**
 * Asks about `codes` in turn, `perSecond` questions a second, until stopped. A question whose
 * answer is not 200, or whose `allowed` differs from the first answer for that code, is counted:
 * faults upstream must not change what applications are told while grace lasts.
 */
export function askSteadily(client, codes, perSecond) {
  const tally = { asked: 0, ok: 0, notOk: 0, errors: 0, flips: 0, lastProblem: null };
  const first = new Map();
  let next = 0;
  const ask = async (code) => {
    tally.asked++;
    try {
      const { status, body } = await client.get(`/v1/features/${encodeURIComponent(code)}`);
      if (status !== 200) {
        tally.notOk++;
        tally.lastProblem = `${code}: ${status} ${body.slice(0, 200)}`;
        return;
      }
      tally.ok++;
      const { allowed } = JSON.parse(body);
      if (!first.has(code)) first.set(code, allowed);
      else if (first.get(code) !== allowed) {
        tally.flips++;
        tally.lastProblem = `${code}: allowed ${allowed}, first answered ${first.get(code)}`;
      }
    } catch (error) {
      tally.errors++;
      tally.lastProblem = `${code}: ${error.message}`;
    }
  };
  const timer = setInterval(() => {
    void ask(codes[next++ % codes.length]);
  }, 1000 / perSecond);
  return { tally, stop: () => clearInterval(timer) };
}

/** The values of a Prometheus text exposition, by series as written (`name{labels}`). */
export function parseMetrics(text) {
  const series = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

/** Series of `name` by the value of `label`: `{ ok: 12, failed: 3 }`. */
export function byLabel(series, name, label) {
  const pattern = new RegExp(`^${name}\\{(?:.*,)?${label}="([^"]*)"`);
  const out = {};
  for (const [key, value] of series) {
    const match = pattern.exec(key);
    if (match !== null) out[match[1]] = (out[match[1]] ?? 0) + value;
  }
  return out;
}

/** What /proc says of a process: resident memory and open file descriptors. */
export function procFacts(pid) {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { rssMiB: Number(kb) / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}
