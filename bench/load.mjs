// Throughput and latency of the local API under load (autocannon, 50 connections), beside a bare
// node:http server answering the agent's own JSON body, in the same run, over TCP and over a Unix
// socket. Each agent endpoint is judged against bare node:http serving the same request: GET for
// /v1/features/{code}; for OFREP, the same POST and body, which bare reads whole before answering
// as any server that looks at a body must. Bar: req/s >= 0.7 x bare's, p99 <= bare's p99 + 1 ms.
// With two cores or more, the load generator (this process) runs on the first and the servers on
// the others, so that neither's work is counted against the other.
// Usage: npm run build && node bench/load.mjs [seconds per run, default 10]
import { execFileSync } from 'node:child_process';
import {
  AGENT_NODE_FLAGS,
  answersOk,
  BARE_SERVER,
  freePort,
  launch,
  separateSandbox,
  stop,
  until,
} from './processes.mjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';

const seconds = Number(process.argv[2] ?? 10);
const ROUNDS = 3; // each target runs this often, alternating with the others; the best run counts
const CONNECTIONS = 50;
const WARMUP_SECONDS = Math.min(2, Math.max(1, Math.round(seconds / 5)));
const CLI = process.env.BENCH_CLI ?? 'dist/bin/main.js';
const BAR = { ratio: 0.7, p99DeltaMs: 1 };
const FEATURE = '/v1/features/reporting';
const OFREP = '/ofrep/v1/evaluate/flags/reporting';
const OFREP_BODY = '{"context":{}}';
const BARE_GET = 'bare node:http GET';
const BARE_POST = 'bare node:http POST';

/** Load generator on CPU 0, servers on the rest; null where that cannot be arranged. */
/** Clock ticks per second, the unit of CPU times in /proc. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const ratioOf = (result, reference) => (result.rps / reference.rps).toFixed(2);

// Read before pinning: it counts the CPUs this process may run on.
const CORES = availableParallelism();

function pinning() {
  if (CORES < 2) return null;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return { servers: `1-${String(CORES - 1)}` };
  } catch {
    return null; // no taskset (util-linux), or not allowed
  }
}
const pinned = pinning();
const start = (args, env) => launch(args, env, pinned === null ? {} : { cpus: pinned.servers });

/** CPU time a process has used, in ms (Linux: /proc), or null where that cannot be read. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * One autocannon run; latencies are kept exactly (autocannon's histogram rounds to 1 ms), and the
 * server's CPU time per request is read from /proc around the run. The promise form, not a
 * callback: autocannon skips the warm-up when given a callback.
 */
async function load(target) {
  const latencies = [];
  const instance = autocannon({
    ...(target.socketPath
      ? { url: `http://localhost${target.path}`, socketPath: target.socketPath }
      : { url: `${target.origin}${target.path}` }),
    method: target.method ?? 'GET',
    headers: target.headers ?? {},
    body: target.body,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS },
  });
  // The warm-up reports to a tracker of its own: these are the measured run's responses only.
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  let cpuBefore = null;
  instance.once('start', () => {
    cpuBefore = cpuMs(target.pid);
  });
  const result = await instance;
  const cpuAfter = cpuMs(target.pid);
  latencies.sort((a, b) => a - b);
  const at = (q) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    rps: result.requests.average,
    p50: at(0.5),
    p99: at(0.99),
    failed: result.errors + result.timeouts + result.non2xx,
    cpuUs:
      cpuBefore === null || cpuAfter === null || latencies.length === 0
        ? NaN
        : ((cpuAfter - cpuBefore) * 1000) / latencies.length,
  };
}

// 1. The agent, on TCP and a Unix socket, then the bare server with the agent's answer as its body.
// The agent runs as on a device: its licence server (the sandbox) is another process, here on the
// load generator's CPU, where it idles; `npm start`'s in-process sandbox would put a second HTTP
// server and its sync traffic into the process under test.
const dir = mkdtempSync(join(tmpdir(), 'ela-bench-load-'));
const agentPort = await freePort();
const agentSocket = join(dir, 'agent.sock');
const upstream = await separateSandbox(
  dir,
  [
    'device: { hardwareId: bench-device }',
    `http: { port: ${agentPort}, socket: { path: agent.sock } }`,
    'log: { level: warn }',
  ],
  pinned === null ? {} : { cpus: '0' },
);
const agent = start([...AGENT_NODE_FLAGS, CLI, 'run', '--config', upstream.config]);
const agentOrigin = `http://127.0.0.1:${agentPort}`;
const bareOrigin = `http://127.0.0.1:${await freePort()}`;
const bareSocket = join(dir, 'bare.sock');
let bare;
try {
  await until(
    answersOk(`${agentOrigin}/readyz`),
    () => `the agent to be ready:\n${agent.output()}`,
    {
      child: agent.child,
    },
  );
  const answer = await request(`${agentOrigin}${FEATURE}`);
  const body = await answer.body.text();
  bare = start(['-e', BARE_SERVER], {
    PORT: new URL(bareOrigin).port,
    SOCKET: bareSocket,
    BODY: body,
  });
  await until(
    () => bare.output().includes('listening'),
    () => `the bare server:\n${bare.output()}`,
    {
      child: bare.child,
    },
  );
  const ofrep = await request(`${agentOrigin}${OFREP}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: OFREP_BODY,
  });
  await ofrep.body.dump();
  const ofrepAvailable = ofrep.statusCode === 200;

  console.log(
    `local API load: autocannon, ${CONNECTIONS} connections, pipelining 1, ${seconds} s per run ` +
      `(+${WARMUP_SECONDS} s warm-up), best of ${ROUNDS} alternating runs`,
  );
  console.log(
    `node ${process.version}, ${CORES} cores (${cpus()[0]?.model ?? '?'}); ` +
      (pinned === null
        ? 'the load generator shares the cores with the server under test'
        : `load generator on CPU 0, servers on CPU ${pinned.servers}`),
  );
  console.log(`feature answer: ${Buffer.byteLength(body)} B, served by both`);
  if (!ofrepAvailable)
    console.log(`OFREP: not available (POST ${OFREP} answered ${ofrep.statusCode})`);

  // 2. Per transport: each bare and agent target in turn, ROUNDS times.
  const ofrepTarget = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: OFREP_BODY,
  };
  const transports = [
    {
      name: 'TCP',
      bare: { origin: bareOrigin, pid: bare.child.pid },
      agent: { origin: agentOrigin, pid: agent.child.pid },
    },
    {
      name: 'Unix',
      bare: { socketPath: bareSocket, pid: bare.child.pid },
      agent: { socketPath: agentSocket, pid: agent.child.pid },
    },
  ];
  const rows = [];
  const runs = [];
  for (const transport of transports) {
    const targets = [
      { name: BARE_GET, ...transport.bare, path: FEATURE },
      ...(ofrepAvailable
        ? [{ name: BARE_POST, ...transport.bare, path: OFREP, ...ofrepTarget }]
        : []),
      { name: `agent GET ${FEATURE}`, ...transport.agent, path: FEATURE, against: BARE_GET },
      ...(ofrepAvailable
        ? [
            {
              name: `agent POST ${OFREP}`,
              ...transport.agent,
              path: OFREP,
              ...ofrepTarget,
              against: BARE_POST,
            },
          ]
        : []),
    ];
    const best = new Map();
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        const result = await load(target);
        const previous = best.get(target.name);
        if (previous === undefined || result.rps > previous.rps) best.set(target.name, result);
        runs.push([transport.name, target.name, result]);
      }
    }
    const bareGet = best.get(BARE_GET);
    for (const target of targets) {
      const result = best.get(target.name);
      const cells = [
        transport.name,
        target.name,
        result.rps.toFixed(0),
        result.p50.toFixed(2),
        result.p99.toFixed(2),
        String(result.failed),
        Number.isNaN(result.cpuUs) ? '?' : result.cpuUs.toFixed(1),
      ];
      if (target.against === undefined) {
        rows.push([
          ...cells,
          '',
          '',
          '',
          target === targets[0] ? '' : ratioOf(result, bareGet),
          '',
        ]);
        continue;
      }
      const bare = best.get(target.against);
      const ratio = result.rps / bare.rps;
      const delta = result.p99 - bare.p99;
      const pass = result.failed === 0 && ratio >= BAR.ratio && delta <= BAR.p99DeltaMs;
      rows.push([
        ...cells,
        target.against.replace('bare node:http ', 'bare '),
        ratio.toFixed(2),
        `${delta >= 0 ? '+' : ''}${delta.toFixed(2)}`,
        ratioOf(result, bareGet),
        pass ? 'PASS' : 'FAIL',
      ]);
    }
  }

  // 3. The table, and the verdict.
  const header = [
    'transport',
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'err+non2xx',
    'cpu µs/req',
    'against',
    'x bare',
    'p99 Δ ms',
    'x bare GET',
    'bar',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    "  cpu µs/req: CPU time of the server process per request (/proc), the load generator's " +
      'share left out',
  );
  console.log(
    '  against: the bare run serving the same request; x bare GET: req/s against bare GET ' +
      '(for reference: a POST with a body costs any server more than a GET)',
  );
  console.log('  every run, in order (req/s, p99 ms, cpu µs/req):');
  const targetNames = [...new Set(runs.map(([transport, name]) => `${transport} ${name}`))];
  for (const target of targetNames) {
    const each = runs.filter(([t, n]) => `${t} ${n}` === target).map(([, , r]) => r);
    console.log(
      `    ${target}: ${each.map((r) => `${r.rps.toFixed(0)} (${r.p99.toFixed(2)}, ${r.cpuUs.toFixed(1)})`).join(', ')}`,
    );
  }
  const BAR_COLUMN = header.indexOf('bar');
  const verdicts = rows.filter((r) => r[BAR_COLUMN] !== '');
  const failed = verdicts.filter((r) => r[BAR_COLUMN] === 'FAIL');
  console.log();
  console.log(
    `bar: >= ${BAR.ratio} x bare req/s and p99 <= bare p99 + ${BAR.p99DeltaMs} ms, no errors -> ` +
      (failed.length === 0
        ? `met (${verdicts.length}/${verdicts.length})`
        : `NOT met: ${failed.map((r) => `${r[0]} ${r[1]}`).join('; ')}`) +
      (ofrepAvailable ? '' : ' [OFREP not measured]'),
  );
} catch (error) {
  console.error(agent.output());
  throw error;
} finally {
  await stop(agent.child);
  await stop(upstream.child);
  if (bare) await stop(bare.child);
}
