// A reverse proxy on loopback between the agent and the sandbox that, at random from a seeded
// generator, spoils a share of the requests, one fault kind each. The agent's baseUrl points at it,
// so every upstream call (device_licenses, check_license_feature) runs the gauntlet.
import { Agent, createServer, request } from 'node:http';

/**
 * What a spoilt request meets. `drop`: the connection is closed without an answer (half of them
 * reset, half closed); `delay`: the answer is held past the agent's timeout; `unavailable`,
 * `rate-limited`: 503 and 429 with Retry-After, the sandbox not asked; `truncated`: the sandbox's
 * answer cut short (Content-Length says so: the JSON is incomplete, not the transfer);
 * `bad-signature`: one character of its LicenseSignature changed.
 */
export const FAULT_KINDS = [
  'drop',
  'delay',
  'unavailable',
  'rate-limited',
  'truncated',
  'bad-signature',
];

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Starts the proxy on 127.0.0.1 (any free port) in front of `upstream` (the sandbox's origin).
 * `faultRate`: the share of requests spoilt, spread evenly over FAULT_KINDS; `delayMs`: how long a
 * delayed answer is held. `counts` says how many requests met each kind (`passed`: none; a
 * bad-signature draw on an answer without the header passes it and counts as passed; `passed-late`:
 * a delayed answer the agent was still waiting for, which means delayMs was not past its timeout).
 */
export async function startFaultProxy({ upstream, random, faultRate, delayMs }) {
  const target = new URL(upstream);
  const pool = new Agent({ keepAlive: true, maxSockets: 16 });
  const counts = Object.fromEntries(
    ['passed', ...FAULT_KINDS, 'passed-late', 'upstream-error'].map((k) => [k, 0]),
  );
  const timers = new Set();

  const draw = () => {
    const r = random();
    if (r >= faultRate) return 'passed';
    return FAULT_KINDS[
      Math.min(FAULT_KINDS.length - 1, Math.floor((r / faultRate) * FAULT_KINDS.length))
    ];
  };

  /** The sandbox's answer to the same request, whole. */
  const forward = (req, body) =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host };
      delete headers.connection;
      const out = request(
        {
          agent: pool,
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (answer) => {
          const chunks = [];
          answer.on('data', (c) => chunks.push(c));
          answer.on('end', () =>
            resolve({
              status: answer.statusCode,
              headers: answer.headers,
              body: Buffer.concat(chunks),
            }),
          );
          answer.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const reply = (res, { status, headers, body }) => {
    if (res.destroyed || res.headersSent) return;
    const kept = Object.fromEntries(
      Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
    );
    res.writeHead(status, { ...kept, 'content-length': body.length });
    res.end(body);
  };

  const passOn = async (req, res, body, kind) => {
    let answer;
    try {
      answer = await forward(req, body);
    } catch {
      counts['upstream-error']++;
      if (!res.destroyed) res.writeHead(502).end();
      return;
    }
    if (kind === 'truncated') {
      const keep = Math.floor(answer.body.length * (0.1 + 0.8 * random()));
      answer = { ...answer, body: answer.body.subarray(0, keep) };
    } else if (kind === 'bad-signature') {
      const signature = answer.headers.licensesignature;
      if (typeof signature === 'string' && signature.length > 0) {
        const at = Math.floor(random() * signature.length);
        const was = signature[at];
        const now = BASE64[(BASE64.indexOf(was) + 1 + Math.floor(random() * 63)) % 64];
        answer.headers.licensesignature = signature.slice(0, at) + now + signature.slice(at + 1);
      } else {
        kind = 'passed';
      }
    }
    counts[kind]++;
    reply(res, answer);
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const kind = draw();
      switch (kind) {
        case 'drop':
          counts.drop++;
          if (random() < 0.5) req.socket.resetAndDestroy();
          else req.socket.destroy();
          return;
        case 'unavailable':
        case 'rate-limited':
          counts[kind]++;
          res.writeHead(kind === 'unavailable' ? 503 : 429, {
            'retry-after': String(1 + Math.floor(random() * 2)),
            'content-type': 'text/plain',
          });
          res.end(kind === 'unavailable' ? 'service unavailable' : 'too many requests');
          return;
        case 'delay': {
          counts.delay++;
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!res.destroyed) void passOn(req, res, body, 'passed-late');
          }, delayMs);
          timers.add(timer);
          res.on('close', () => {
            clearTimeout(timer);
            timers.delete(timer);
          });
          return;
        }
        case 'passed':
        case 'truncated':
        case 'bad-signature':
          void passOn(req, res, body, kind);
          return;
        default:
          throw new Error(`unknown fault kind ${kind}`);
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      pool.destroy();
    },
  };
}
