// Instructions per request (valgrind's callgrind), the agent's /v1/features/{code} and OFREP beside
// a bare node:http server answering the same requests with the same body: a count that does not
// move with the machine's load, for telling small changes apart where bench/load.mjs's timings
// (±20% from run to run on a shared VM) cannot. Every thread of the server is counted; kernel
// time is not (bench/load.mjs has it). Each process runs under valgrind, about 50 times slower,
// so this takes a few minutes. Needs valgrind (Debian: apt-get install valgrind).
// Usage: npm run build && node bench/instructions.mjs [requests per measurement, default 3000]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import {
  AGENT_NODE_FLAGS,
  answersOk,
  BARE_SERVER,
  freePort,
  median,
  separateSandbox,
  stop,
  until,
} from './processes.mjs';

const REQUESTS = Number(process.argv[2] ?? 3000);
const CONNECTIONS = 50;
const WINDOWS = 3;
const FEATURE = '/v1/features/reporting';
const OFREP = '/ofrep/v1/evaluate/flags/reporting';
const GET = { method: 'GET' };
const POST = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"context":{}}',
};

try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('valgrind is not installed (Debian: apt-get install valgrind)');
  process.exit(2);
}

/** A server under callgrind, counting from the start; each `window` is one dump of its own. */
async function underCallgrind(name, args, env, readyPath) {
  const dir = mkdtempSync(join(tmpdir(), `ela-bench-cg-${name}-`));
  const port = await freePort();
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      // V8 writes the code it runs: valgrind must look for that everywhere but in files.
      '--smc-check=all-non-file',
      `--callgrind-out-file=${join(dir, 'out')}`,
      process.execPath,
      ...args(),
    ],
    { env: { ...process.env, ...env(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  const origin = `http://127.0.0.1:${port}`;
  await until(answersOk(origin + readyPath), () => `${name} to get ready:\n${log}`, {
    timeoutMs: 600_000,
    everyMs: 500,
    child,
  });
  let dumps = 0;
  const dump = () => {
    execFileSync('callgrind_control', ['--dump', String(child.pid)], { stdio: 'ignore' });
    dumps += 1;
    return join(dir, `out.${dumps}`);
  };
  const run = (path, request, amount) =>
    autocannon({ url: origin + path, ...request, connections: CONNECTIONS, amount, timeout: 120 });
  return {
    origin,
    /**
     * Warm-up first (twice the count), then WINDOWS counts of the requests alone, each its own
     * dump. Under valgrind the process runs about 50 times slower, so V8's timed work (a major
     * GC's concurrent marking, the memory reducer) can land in one window and add a third to it:
     * the median leaves such a window out, and every window is printed.
     */
    async window(path, request) {
      await run(path, request, 2 * REQUESTS);
      dump();
      const windows = [];
      let failed = 0;
      for (let i = 0; i < WINDOWS; i++) {
        const result = await run(path, request, REQUESTS);
        const total = Number(/^summary: (\d+)/m.exec(readFileSync(dump(), 'utf8'))?.[1]);
        windows.push(total / result.requests.total);
        failed += result.errors + result.timeouts + result.non2xx;
      }
      return { perRequest: median(windows), windows, failed };
    },
    stop: () => stop(child),
  };
}

const upstreamDir = mkdtempSync(join(tmpdir(), 'ela-bench-cg-upstream-'));
const upstream = await separateSandbox(upstreamDir, ['device: { hardwareId: bench-device }']);
const CLI = resolve('dist/bin/main.js');
const rows = [];
try {
  const agent = await underCallgrind(
    'agent',
    () => [...AGENT_NODE_FLAGS, CLI, 'run', '--config', upstream.config],
    (port) => ({ ELA_HTTP__PORT: String(port) }),
    '/readyz',
  );
  const body = await (await fetch(agent.origin + FEATURE)).text();
  const agentGet = await agent.window(FEATURE, GET);
  const agentPost = await agent.window(OFREP, POST);
  await agent.stop();
  const bare = await underCallgrind(
    'bare',
    () => ['-e', BARE_SERVER],
    (port) => ({ PORT: String(port), BODY: body }),
    '/',
  );
  const bareGet = await bare.window(FEATURE, GET);
  const barePost = await bare.window(OFREP, POST);
  await bare.stop();
  rows.push(['bare node:http GET', bareGet, null]);
  rows.push(['bare node:http POST', barePost, null]);
  rows.push([`agent GET ${FEATURE}`, agentGet, bareGet]);
  rows.push([`agent POST ${OFREP}`, agentPost, barePost]);
} finally {
  await stop(upstream.child);
}
console.log(
  `instructions per request (callgrind, all threads, user space), median of ${WINDOWS} windows of ` +
    `${REQUESTS} requests at ${CONNECTIONS} connections after ${2 * REQUESTS} of warm-up; ` +
    `node ${process.version}`,
);
const k = (n) => (n / 1000).toFixed(1);
for (const [name, result, against] of rows)
  console.log(
    `${name.padEnd(48)} ${k(result.perRequest).padStart(6)} k` +
      (against === null
        ? ' '.repeat(13)
        : `   ${(result.perRequest / against.perRequest).toFixed(2)}x bare`) +
      `   windows: ${result.windows.map(k).join(', ')}` +
      (result.failed > 0 ? `   ${result.failed} failed` : ''),
  );
