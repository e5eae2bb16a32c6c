// Child processes for the benchmarks: each server runs in its own process, so that the load or
// the clock of the bench never shares an event loop with what it measures.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

/** Whether the module at `moduleUrl` is the script node was asked to run (not an import of it). */
export const isMain = (moduleUrl) =>
  process.argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(process.argv[1])).href;

/**
 * The Node options the agent runs with on a device: those of the systemd unit's ExecStart, between
 * node and the script (npm start and the Dockerfile pass the same; a test holds all three
 * together). The benches start the agent with them, so that they measure it as it ships.
 */
export const AGENT_NODE_FLAGS = (() => {
  const unit = readFileSync(
    new URL('../systemd/edge-license-agent.service', import.meta.url),
    'utf8',
  );
  const words = /^ExecStart=(.*)$/m.exec(unit)?.[1].split(/\s+/) ?? [];
  const script = words.findIndex((word) => word.endsWith('/main.js'));
  if (script < 1)
    throw new Error('systemd/edge-license-agent.service: no ExecStart=node … main.js');
  return words.slice(1, script);
})();

/** Every child launched and not yet exited, so that a bench stopped early can stop them all. */
const running = new Set();

/** Stops every child still running (SIGTERM, then waits for each to exit). */
export async function stopAll() {
  await Promise.all([...running].map((child) => stop(child)));
}

/** `cpus`: a taskset CPU list the process and all its threads are held to, from the start. */
export function launch(args, env = {}, { cpus } = {}) {
  const [command, argv] =
    cpus === undefined
      ? [process.execPath, args]
      : ['taskset', ['-c', cpus, process.execPath, ...args]];
  const child = spawn(command, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return { child, output: () => out };
}

export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Clock ticks per second, the unit of CPU times in /proc. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used, in ms (Linux: /proc), or null where unreadable. */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** The resolution of cpuMs, in ms. */
export const CPU_TICK_MS = 1000 / CLOCK_TICKS;

/**
 * Polls `check` every `everyMs` until it returns true; what it throws counts as "not yet" (a
 * server not listening yet). Fails after `timeoutMs`, or at once when `child`, the process waited
 * on, has exited, saying what it waited for: `what`, or what `what()` says then (a process's
 * output so far).
 */
export async function until(check, what, { timeoutMs = 20_000, everyMs = 20, child } = {}) {
  const started = performance.now();
  const failure = (why) =>
    new Error(`${why} waiting for ${typeof what === 'function' ? what() : what}`);
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (child !== undefined && child.exitCode !== null)
      throw failure(`the process exited (${child.exitCode})`);
    if (performance.now() - started > timeoutMs) throw failure('timed out');
    await sleep(everyMs);
  }
}

/** A check for until(): `url` answers a GET with 200. */
export const answersOk = (url) => async () => {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status === 200;
};

/** The middle value; of an even count, the mean of the middle two. */
export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * The sandbox licence server in a process of its own (`edge-license-agent sandbox`), and an agent
 * config in `dir` that points at it; `extra` lines are added to the config. `cpus`: as launch's.
 */
export async function separateSandbox(dir, extra = [], { cpus } = {}) {
  const key = join(dir, 'sandbox.pem');
  const { child, output } = launch(
    ['dist/bin/main.js', 'sandbox', '--port', '0', '--public-key-out', key],
    {},
    { cpus },
  );
  await until(
    () => output().includes('END PUBLIC KEY'),
    () => `the sandbox:\n${output()}`,
    {
      everyMs: 5,
      child,
    },
  );
  const field = (label) => new RegExp(`^${label}\\s+(\\S+)`, 'm').exec(output())[1];
  writeFileSync(join(dir, 'api-key'), field('API key'), { mode: 0o600 });
  writeFileSync(join(dir, 'shared-key'), field('shared key'), { mode: 0o600 });
  const config = join(dir, 'agent.yaml');
  writeFileSync(
    config,
    [
      'stateDirectory: state',
      'licensespring:',
      `  baseUrl: ${field('License API')}`,
      '  insecure: { allowPlainHttp: true }',
      '  publicKeyFile: sandbox.pem',
      '  auth: { method: hmac, apiKey: { file: api-key }, sharedKey: { file: shared-key } }',
      ...extra,
    ].join('\n'),
  );
  return { config, child };
}

/**
 * The bare node:http server the agent is measured against, for `node -e`: it answers every
 * request with BODY, byte for byte, a POST once its body has been read, as the agent must read
 * OFREP's. It listens on 127.0.0.1:PORT, and on the Unix socket SOCKET when that is set, then
 * prints 'listening'.
 */
export const BARE_SERVER = `
const http = require('node:http');
const body = process.env.BODY;
const handler = (req, res) => {
  const answer = () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (req.method === 'POST') req.on('end', answer);
  else answer();
  req.resume();
};
const places = [[+process.env.PORT, '127.0.0.1'], ...(process.env.SOCKET ? [[process.env.SOCKET]] : [])];
let listening = 0;
for (const place of places)
  http.createServer(handler).listen(...place, () => { if (++listening === places.length) console.log('listening'); });
`;

/** A TCP port on loopback that nothing listens on, just now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
