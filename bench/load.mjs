// Throughput and latency of the local API under load (autocannon, 50 connections), beside a bare
// node:http server answering the agent's own JSON body, in the same run, over TCP and over a Unix
// socket. Each agent endpoint is judged against bare node:http serving the same request: GET for
// /v1/features/{code}; for OFREP, the same POST and body, which bare reads whole before answering
// as any server that looks at a body must. Bar: req/s >= 0.7 x bare's, p99 <= bare's p99 + 1 ms.
// With `peer`, the Unleash proxy (bench/unleash-peer.mjs) is measured too, over TCP, beside the
// agent's GET. With two cores or more, the load generator (this process) runs on the first and the
// servers on the others, so that neither's work is counted against the other.
// Usage: npm run build && node bench/load.mjs [seconds per run, default 10]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';
import {
  AGENT_NODE_FLAGS,
  answersOk,
  BARE_SERVER,
  cpuMs,
  freePort,
  isMain,
  launch,
  separateSandbox,
  stop,
  until,
} from './processes.mjs';
import { PEER_PATH, startPeer } from './unleash-peer.mjs';

export const LOAD_BAR = { ratio: 0.7, p99DeltaMs: 1 };
const CONNECTIONS = 50;
const CLI = process.env.BENCH_CLI ?? 'dist/bin/main.js';
export const FEATURE = '/v1/features/reporting';
export const OFREP = '/ofrep/v1/evaluate/flags/reporting';
const OFREP_BODY = '{"context":{}}';
export const BARE_GET = 'bare node:http GET';
export const BARE_POST = 'bare node:http POST';
export const AGENT_GET = `agent GET ${FEATURE}`;
export const AGENT_POST = `agent POST ${OFREP}`;
export const PEER = `unleash proxy GET ${PEER_PATH}`;

/**
 * Holds this process (the load generator) to CPU 0 and returns the CPU list for the servers, or
 * null where that cannot be arranged; `release` gives this process every CPU back.
 */
function pinning(cores) {
  if (cores < 2) return null;
  const all = `0-${String(cores - 1)}`;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return {
      servers: `1-${String(cores - 1)}`,
      release: () => {
        execFileSync('taskset', ['-a', '-p', '-c', all, String(process.pid)], { stdio: 'ignore' });
      },
    };
  } catch {
    return null; // no taskset (util-linux), or not allowed
  }
}

/**
 * One autocannon run; latencies are kept exactly (autocannon's histogram rounds to 1 ms), and the
 * server's CPU time per request is read from /proc around the run. The promise form, not a
 * callback: autocannon skips the warm-up when given a callback.
 */
async function load(target, seconds, warmupSeconds) {
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
    warmup: { connections: CONNECTIONS, duration: warmupSeconds },
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

/**
 * Runs every target `rounds` times, alternating, and returns every run. Per transport (TCP, Unix):
 * bare GET, bare POST (when the agent serves OFREP), the agent's GET and POST, and on TCP the peer
 * when asked for. Each target names the target it is judged `against`.
 */
export async function measureLoad({ seconds = 10, rounds = 3, warmupSeconds, peer = false } = {}) {
  const warmup = warmupSeconds ?? Math.min(2, Math.max(1, Math.round(seconds / 5)));
  // Read before pinning: it counts the CPUs this process may run on.
  const cores = availableParallelism();
  const pinned = pinning(cores);
  const start = (args, env) => launch(args, env, pinned === null ? {} : { cpus: pinned.servers });
  // The agent runs as on a device: its licence server (the sandbox) is another process, here on
  // the load generator's CPU, where it idles; `npm start`'s in-process sandbox would put a second
  // HTTP server and its sync traffic into the process under test.
  const dir = mkdtempSync(join(tmpdir(), 'ela-bench-load-'));
  const children = [];
  try {
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
    children.push(upstream.child);
    const agent = start([...AGENT_NODE_FLAGS, CLI, 'run', '--config', upstream.config]);
    children.push(agent.child);
    const agentOrigin = `http://127.0.0.1:${agentPort}`;
    const bareOrigin = `http://127.0.0.1:${await freePort()}`;
    const bareSocket = join(dir, 'bare.sock');
    await until(answersOk(`${agentOrigin}/readyz`), () => `the agent:\n${agent.output()}`, {
      child: agent.child,
    });
    const answer = await request(`${agentOrigin}${FEATURE}`);
    const body = await answer.body.text();
    const bare = start(['-e', BARE_SERVER], {
      PORT: new URL(bareOrigin).port,
      SOCKET: bareSocket,
      BODY: body,
    });
    children.push(bare.child);
    await until(
      () => bare.output().includes('listening'),
      () => `the bare server:\n${bare.output()}`,
      { child: bare.child },
    );
    const ofrep = await request(`${agentOrigin}${OFREP}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: OFREP_BODY,
    });
    await ofrep.body.dump();
    const ofrepAvailable = ofrep.statusCode === 200;
    let peerServer = null;
    let peerError = null;
    if (peer) {
      const features = await request(`${agentOrigin}/v1/features`);
      const codes = (await features.body.json()).features.map((f) => f.code);
      try {
        peerServer = await startPeer(codes, pinned === null ? {} : { cpus: pinned.servers });
        children.push(peerServer.child);
      } catch (error) {
        // The agent's own rows do not depend on the peer: they are measured without it.
        peerError = error instanceof Error ? error.message : String(error);
      }
    }

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
        peer: peerServer,
      },
      {
        name: 'Unix',
        bare: { socketPath: bareSocket, pid: bare.child.pid },
        agent: { socketPath: agentSocket, pid: agent.child.pid },
        peer: null,
      },
    ];
    const measured = [];
    for (const transport of transports) {
      const targets = [
        { name: BARE_GET, ...transport.bare, path: FEATURE },
        ...(ofrepAvailable
          ? [{ name: BARE_POST, ...transport.bare, path: OFREP, ...ofrepTarget }]
          : []),
        { name: AGENT_GET, ...transport.agent, path: FEATURE, against: BARE_GET },
        ...(ofrepAvailable
          ? [
              {
                name: AGENT_POST,
                ...transport.agent,
                path: OFREP,
                ...ofrepTarget,
                against: BARE_POST,
              },
            ]
          : []),
        ...(transport.peer === null
          ? []
          : [
              {
                name: PEER,
                origin: transport.peer.origin,
                pid: transport.peer.child.pid,
                path: PEER_PATH,
                headers: transport.peer.headers,
              },
            ]),
      ].map((target) => ({ ...target, runs: [] }));
      for (let round = 0; round < rounds; round++) {
        for (const target of targets) target.runs.push(await load(target, seconds, warmup));
      }
      measured.push({
        name: transport.name,
        targets: targets.map(({ name, against, runs }) => ({ name, against, runs })),
      });
    }
    return {
      seconds,
      warmupSeconds: warmup,
      rounds,
      connections: CONNECTIONS,
      cores,
      cpuModel: cpus()[0]?.model ?? '?',
      pinned: pinned === null ? null : { loadGenerator: '0', servers: pinned.servers },
      bodyBytes: Buffer.byteLength(body),
      ofrepAvailable,
      ofrepStatus: ofrep.statusCode,
      peer: peer ? { toggles: peerServer?.toggles ?? null, error: peerError } : null,
      transports: measured,
    };
  } finally {
    for (const child of children.reverse()) await stop(child);
    pinned?.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The run with the most req/s: the rule the standalone table has always used, for both sides. */
const best = (runs) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));

function print(result) {
  console.log(
    `local API load: autocannon, ${result.connections} connections, pipelining 1, ${result.seconds} s per run ` +
      `(+${result.warmupSeconds} s warm-up), best of ${result.rounds} alternating runs`,
  );
  console.log(
    `node ${process.version}, ${result.cores} cores (${result.cpuModel}); ` +
      (result.pinned === null
        ? 'the load generator shares the cores with the server under test'
        : `load generator on CPU 0, servers on CPU ${result.pinned.servers}`),
  );
  console.log(`feature answer: ${result.bodyBytes} B, served by both`);
  if (!result.ofrepAvailable)
    console.log(`OFREP: not available (POST ${OFREP} answered ${result.ofrepStatus})`);
  const rows = [];
  for (const transport of result.transports) {
    const byName = new Map(transport.targets.map((t) => [t.name, best(t.runs)]));
    const bareGet = byName.get(BARE_GET);
    for (const target of transport.targets) {
      const r = byName.get(target.name);
      const cells = [
        transport.name,
        target.name,
        r.rps.toFixed(0),
        r.p50.toFixed(2),
        r.p99.toFixed(2),
        String(r.failed),
        Number.isNaN(r.cpuUs) ? '?' : r.cpuUs.toFixed(1),
      ];
      const xBareGet = target.name === BARE_GET ? '' : (r.rps / bareGet.rps).toFixed(2);
      if (target.against === undefined) {
        rows.push([...cells, '', '', '', xBareGet, '']);
        continue;
      }
      const ref = byName.get(target.against);
      const ratio = r.rps / ref.rps;
      const delta = r.p99 - ref.p99;
      const pass = r.failed === 0 && ratio >= LOAD_BAR.ratio && delta <= LOAD_BAR.p99DeltaMs;
      rows.push([
        ...cells,
        target.against.replace('bare node:http ', 'bare '),
        ratio.toFixed(2),
        `${delta >= 0 ? '+' : ''}${delta.toFixed(2)}`,
        xBareGet,
        pass ? 'PASS' : 'FAIL',
      ]);
    }
  }
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
  for (const transport of result.transports)
    for (const target of transport.targets)
      console.log(
        `    ${transport.name} ${target.name}: ${target.runs.map((r) => `${r.rps.toFixed(0)} (${r.p99.toFixed(2)}, ${r.cpuUs.toFixed(1)})`).join(', ')}`,
      );
  const BAR_COLUMN = header.indexOf('bar');
  const verdicts = rows.filter((r) => r[BAR_COLUMN] !== '');
  const failed = verdicts.filter((r) => r[BAR_COLUMN] === 'FAIL');
  console.log();
  console.log(
    `bar: >= ${LOAD_BAR.ratio} x bare req/s and p99 <= bare p99 + ${LOAD_BAR.p99DeltaMs} ms, no errors -> ` +
      (failed.length === 0
        ? `met (${verdicts.length}/${verdicts.length})`
        : `NOT met: ${failed.map((r) => `${r[0]} ${r[1]}`).join('; ')}`) +
      (result.ofrepAvailable ? '' : ' [OFREP not measured]'),
  );
}

if (isMain(import.meta.url)) {
  print(await measureLoad({ seconds: Number(process.argv[2] ?? 10), rounds: 3 }));
}
