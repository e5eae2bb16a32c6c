// One soak run: the sandbox in its own process, the fault proxy in this one, the built agent in a
// third, syncing every second through the proxy while it answers feature questions on its Unix
// socket; sampled every few seconds until the time is up. Returns what was seen; judging and
// printing are the caller's.
import { AGENT_NODE_FLAGS, separateSandbox, until } from '../processes.mjs';
import { askSteadily, byLabel, parseMetrics, procFacts, socketClient } from './agent-socket.mjs';
import { seededRandom } from '../seeded-random.mjs';
import { startFaultProxy } from './fault-proxy.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));
/** The agent's per-request timeout; a delayed answer is held a second past it. */
const TIMEOUT_SECONDS = 2;
const QUESTIONS_PER_SECOND = 50;
/** About 120 samples a run, at most one a second and at least one every five. */
const sampleEveryMs = (runMs) => Math.min(5_000, Math.max(1_000, Math.round(runMs / 120)));

/** Every child started here, so that an interrupted run leaves none behind. */
const children = new Set();
function killChildren() {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

/** The pids whose parent is this process (Linux: /proc). */
function processesStartedHere() {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (ppid === process.pid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * Until the run ends: Ctrl-C or SIGTERM stops the children, waits (briefly) for them to exit,
 * removes `dir`, then ends this process.
 */
function holdSignals(dir) {
  const onSignal = async (signal) => {
    const exits = [...children]
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => new Promise((resolve) => child.once('exit', resolve)));
    killChildren();
    // A child still starting (the sandbox, inside separateSandbox) is not in `children` yet.
    for (const pid of processesStartedHere()) process.kill(pid, 'SIGTERM');
    await Promise.race([Promise.all(exits), sleep(5_000)]);
    rmSync(dir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killChildren);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', killChildren);
  };
}

/** The built agent, its log read line by line: counted by level, the last lines kept. */
function startAgent(config) {
  const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, CLI, 'run', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const log = { lines: 0, warn: 0, error: 0, tail: [], lastError: null };
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.lines++;
      const level = /"level":"(\w+)"/.exec(line)?.[1];
      if (level === 'warn') log.warn++;
      if (level === 'error' || level === 'fatal') {
        log.error++;
        log.lastError = line;
      }
      log.tail.push(line);
      if (log.tail.length > 20) log.tail.shift();
    });
  }
  return { child, log };
}

async function stopChild(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * `minutes` of soak. `seed`: the fault generator's; `faultRate`: the share of upstream requests
 * spoilt; `progress`: called with a line now and then (stderr, for a person waiting).
 */
export async function runSoak({ minutes, seed = 23, faultRate = 0.3, progress = () => {} }) {
  const runMs = minutes * 60_000;
  const everyMs = sampleEveryMs(runMs);
  const dir = mkdtempSync(join(tmpdir(), 'ela-soak-'));
  const socketPath = join(dir, 'agent.sock');
  const releaseSignals = holdSignals(dir);
  let sandbox = null;
  let proxy = null;
  let agent = null;
  let client = null;
  let questions = null;
  try {
    const upstream = await separateSandbox(dir, [
      `sync: { schedule: '* * * * * *', splaySeconds: 0, timeoutSeconds: ${TIMEOUT_SECONDS} }`,
      `http: { port: 0, socket: { path: ${JSON.stringify(socketPath)}, mode: '0600' } }`,
      'metrics: { profile: full }',
      'log: { level: info }',
    ]);
    sandbox = upstream.child;
    children.add(sandbox);
    const configText = readFileSync(upstream.config, 'utf8');
    const sandboxUrl = new URL(/^\s+baseUrl: (\S+)$/m.exec(configText)[1]);
    proxy = await startFaultProxy({
      upstream: sandboxUrl.origin,
      random: seededRandom(seed),
      faultRate,
      delayMs: (TIMEOUT_SECONDS + 1) * 1000,
    });
    writeFileSync(
      upstream.config,
      configText.replace(sandboxUrl.href, proxy.url + sandboxUrl.pathname),
    );

    agent = startAgent(upstream.config);
    client = socketClient(socketPath);
    const what = () => `the agent to be ready:\n${agent.log.tail.join('\n')}`;
    await until(async () => (await client.get('/readyz')).status === 200, what, {
      timeoutMs: 30_000,
      everyMs: 50,
      child: agent.child,
    });
    const { features } = JSON.parse((await client.get('/v1/features')).body);
    const codes = [...features.map((f) => f.code), 'not-a-licensed-feature'];
    questions = askSteadily(client, codes, QUESTIONS_PER_SECOND);

    const samples = [];
    let scrapeErrors = 0;
    let lastSeries = new Map();
    // Heap used between major GCs is garbage and live data together, a sawtooth of megabytes over
    // minutes; read at the first sample after each major GC, it is close to the live data alone.
    let majorGcsBefore = NaN;
    let heapAfterGcMiB = NaN;
    const started = performance.now();
    let nextProgress = started + 60_000;
    for (let due = started; due - started <= runMs; due += everyMs) {
      await sleep(Math.max(0, due - performance.now()));
      if (agent.child.exitCode !== null || agent.child.signalCode !== null) break;
      const t = performance.now() - started;
      let facts;
      try {
        facts = procFacts(agent.child.pid);
      } catch {
        break; // gone between the check and the read
      }
      const values = { ...facts, heapMiB: NaN, heapAfterGcMiB: NaN, lagP99Ms: NaN };
      let syncs = NaN;
      let majorGcs = NaN;
      try {
        const series = parseMetrics((await client.get('/metrics')).body);
        lastSeries = series;
        values.heapMiB = series.get('nodejs_heap_size_used_bytes') / 1024 / 1024;
        values.lagP99Ms = series.get('nodejs_eventloop_lag_p99_seconds') * 1000;
        majorGcs = byLabel(series, 'nodejs_gc_duration_seconds_count', 'kind').major ?? 0;
        if (majorGcs > majorGcsBefore) heapAfterGcMiB = values.heapMiB;
        majorGcsBefore = majorGcs;
        values.heapAfterGcMiB = heapAfterGcMiB;
        syncs = Object.values(byLabel(series, 'license_agent_sync_runs_total', 'result')).reduce(
          (a, b) => a + b,
          0,
        );
      } catch {
        scrapeErrors++;
      }
      samples.push({ t, values, syncs, majorGcs });
      if (performance.now() >= nextProgress) {
        nextProgress += 60_000;
        progress(
          `soak: ${(t / 60_000).toFixed(0)} of ${minutes} min, RSS ${values.rssMiB.toFixed(1)} MiB, ` +
            `${values.fds} fds, ${syncs} syncs`,
        );
      }
    }
    questions.stop();

    const alive = agent.child.exitCode === null && agent.child.signalCode === null;
    const probe = async (path) => {
      try {
        return (await client.get(path)).status;
      } catch (error) {
        return error.message;
      }
    };
    const end = {
      alive,
      healthz: alive ? await probe('/healthz') : null,
      readyz: alive ? await probe('/readyz') : null,
    };
    if (alive) {
      try {
        lastSeries = parseMetrics((await client.get('/metrics')).body);
      } catch {
        scrapeErrors++;
      }
    }
    const span = samples.length > 0 ? samples.at(-1).t : 0;
    const lastTenthFrom = samples.find((s) => s.t >= 0.9 * span && Number.isFinite(s.syncs));
    const lastCount = samples.findLast((s) => Number.isFinite(s.syncs));
    end.syncsInLastTenth = lastTenthFrom && lastCount ? lastCount.syncs - lastTenthFrom.syncs : NaN;

    await client.close();
    client = null;
    await stopChild(agent.child);
    end.exit = { code: agent.child.exitCode, signal: agent.child.signalCode };
    return {
      minutes,
      seed,
      faultRate,
      everyMs,
      samples,
      scrapeErrors,
      faults: { ...proxy.counts },
      syncResults: byLabel(lastSeries, 'license_agent_sync_runs_total', 'result'),
      failureCauses: byLabel(lastSeries, 'license_agent_upstream_failures_total', 'cause'),
      questions: { ...questions.tally },
      log: { ...agent.log, tail: [...agent.log.tail] },
      end,
    };
  } finally {
    questions?.stop();
    await client?.close().catch(() => undefined);
    if (agent !== null) await stopChild(agent.child);
    if (sandbox !== null) await stopChild(sandbox);
    await proxy?.close();
    killChildren();
    children.clear();
    releaseSignals();
    rmSync(dir, { recursive: true, force: true });
  }
}
