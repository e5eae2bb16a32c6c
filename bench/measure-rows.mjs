// Each measure's results as rows of the one table (bench/table.mjs has the Row shape).
import { AGENT_GET, AGENT_POST, LOAD_BAR, PEER } from './load.mjs';
import { median } from './processes.mjs';
import { SOAK_BAR_BYTES } from './sync-soak.mjs';
import { SHAPE } from './sync-cpu.mjs';
import { missingRow } from './table.mjs';

const MiB = 1024 * 1024;
const ENDPOINT = {
  [AGENT_GET]: 'GET /v1/features/{code}',
  [AGENT_POST]: 'POST OFREP evaluate',
};

/** Per round, f(agent's run, reference's run): the two ran one after the other in that round. */
const perRound = (agent, reference, f) => agent.runs.map((run, i) => f(run, reference.runs[i]));
const medianOf = (target, field) => median(target.runs.map((run) => run[field]));
const failures = (target) => target.runs.reduce((sum, run) => sum + run.failed, 0);

/** Throughput, p99 and CPU per request of each agent endpoint against its bare (or peer) twin. */
export function loadRows(result) {
  const rows = [];
  const bar = LOAD_BAR;
  for (const transport of result.transports) {
    const byName = new Map(transport.targets.map((target) => [target.name, target]));
    for (const agent of transport.targets.filter((target) => target.against !== undefined)) {
      const bare = byName.get(agent.against);
      const what = `${transport.name} ${ENDPOINT[agent.name]}`;
      const failed = failures(agent);
      const rps = [medianOf(agent, 'rps'), medianOf(bare, 'rps')];
      rows.push({
        measure: `req/s, ${what}`,
        agent: rps[0],
        reference: rps[1],
        unit: 'req/s',
        ratio: rps[0] / rps[1],
        bar: `ratio ≥ ${bar.ratio}`,
        pass: failed === 0 && rps[0] / rps[1] >= bar.ratio,
        runs: perRound(agent, bare, (a, b) => a.rps / b.rps),
        note: `reference: bare node:http, same request and body (${agent.against.replace('bare node:http ', '')}); values are medians, runs are each round's agent/bare${failed > 0 ? `; ${failed} failed or non-2xx answers` : ''}`,
      });
      const p99 = [medianOf(agent, 'p99'), medianOf(bare, 'p99')];
      rows.push({
        measure: `p99, ${what}`,
        agent: p99[0],
        reference: p99[1],
        unit: 'ms',
        ratio: p99[0] / p99[1],
        bar: `≤ ref + ${bar.p99DeltaMs} ms`,
        pass: p99[0] - p99[1] <= bar.p99DeltaMs,
        runs: perRound(agent, bare, (a, b) => a.p99 - b.p99),
        note: "runs are each round's agent p99 − bare p99, ms",
      });
      rows.push(cpuRow(`CPU per request, ${what}`, agent, bare, 'bare node:http'));
    }
    const peer = byName.get(PEER);
    if (peer !== undefined) {
      const agent = byName.get(AGENT_GET);
      const rps = [medianOf(agent, 'rps'), medianOf(peer, 'rps')];
      rows.push({
        measure: `req/s vs Unleash proxy, ${transport.name} GET`,
        agent: rps[0],
        reference: rps[1],
        unit: 'req/s',
        ratio: rps[0] / rps[1],
        bar: 'ratio ≥ 1',
        pass: failures(agent) + failures(peer) === 0 && rps[0] >= rps[1],
        runs: perRound(agent, peer, (a, b) => a.rps / b.rps),
        note: `reference: @unleash/proxy 1.4.9 (createApp, expBootstrap with one enabled toggle per feature the agent lists, ${result.peer?.toggles ?? '?'} in all, default strategy, upstream on a closed loopback port) answering GET /proxy with Authorization: its client key, every toggle in one body (1.4.9 has no per-toggle endpoint); agent: GET /v1/features/{code}; runs are each round's agent/proxy${failures(peer) > 0 ? `; the proxy failed ${failures(peer)} requests` : ''}`,
      });
      rows.push({
        measure: `p99 vs Unleash proxy, ${transport.name} GET`,
        agent: medianOf(agent, 'p99'),
        reference: medianOf(peer, 'p99'),
        unit: 'ms',
        ratio: medianOf(agent, 'p99') / medianOf(peer, 'p99'),
        bar: 'info',
        pass: null,
        runs: perRound(agent, peer, (a, b) => a.p99 - b.p99),
        note: "runs are each round's agent p99 − proxy p99, ms",
      });
      rows.push(
        cpuRow(`CPU per request vs Unleash proxy, ${transport.name} GET`, agent, peer, 'the proxy'),
      );
    }
  }
  if (result.peer?.error)
    rows.push(missingRow('req/s vs Unleash proxy, TCP GET', `not measured: ${result.peer.error}`));
  return rows;
}

function cpuRow(measure, agent, reference, name) {
  const cpu = [medianOf(agent, 'cpuUs'), medianOf(reference, 'cpuUs')];
  return {
    measure,
    agent: cpu[0],
    reference: cpu[1],
    unit: 'µs',
    ratio: cpu[0] / cpu[1],
    bar: 'info',
    pass: null,
    runs: perRound(agent, reference, (a, b) => a.cpuUs / b.cpuUs),
    note: `user + system CPU time of the server process (/proc) per request answered, the load generator's left out; runs are each round's agent/${name}`,
  };
}

/** Steady RSS (the bar: the agent as a device runs it), and start to ready, online. */
export function memoryRows({ bare, agent, deviceAgent }) {
  const rss = (xs) => median(xs.map((x) => x.rss));
  const start = (xs) => median(xs.map((x) => x.startMs));
  const ratios = (xs, field) => xs.map((x, i) => x[field] / bare[i][field]);
  return [
    {
      measure: 'steady RSS, agent as on a device',
      agent: rss(deviceAgent),
      reference: rss(bare),
      unit: 'MiB',
      ratio: rss(deviceAgent) / rss(bare),
      bar: 'ratio ≤ 1.5',
      pass: rss(deviceAgent) / rss(bare) <= 1.5,
      runs: ratios(deviceAgent, 'rss'),
      note: "after 3 s of feature questions; the licence server (sandbox) in another process; reference: bare node:http answering a fixed body, measured the same way; runs are each run's agent/bare",
    },
    {
      measure: 'steady RSS, npm start',
      agent: rss(agent),
      reference: rss(bare),
      unit: 'MiB',
      ratio: rss(agent) / rss(bare),
      bar: 'info',
      pass: null,
      runs: ratios(agent, 'rss'),
      note: "the example config: the License API and LEM sandboxes run inside the agent's process",
    },
    {
      measure: 'start to ready, online, agent as on a device',
      agent: start(deviceAgent),
      reference: start(bare),
      unit: 'ms',
      ratio: start(deviceAgent) / start(bare),
      bar: 'info',
      pass: null,
      runs: deviceAgent.map((x) => x.startMs),
      note: "first sync included; runs are the agent's ms",
    },
  ];
}

export function startFromCacheRow({ bare, agent }) {
  return {
    measure: 'start to ready from saved state, offline',
    agent: median(agent),
    reference: median(bare),
    unit: 'ms',
    ratio: median(agent) / median(bare),
    bar: '< 500 ms',
    pass: median(agent) < 500,
    runs: agent,
    note: "licence server down, state on disk; reference: a bare node:http server's start to its first answer; runs are the agent's ms",
  };
}

export function syncCpuRow(r) {
  return {
    measure: `CPU per sync, ${SHAPE.licenses} licences × ${SHAPE.featuresPerLicense} features`,
    agent: median(r.agentRuns),
    reference: median(r.referenceRuns),
    unit: 'ms',
    ratio: median(r.agentRuns) / median(r.referenceRuns),
    bar: 'info',
    pass: null,
    runs: r.agentRuns,
    note: `process.cpuUsage() around ${r.syncs} syncs of the agent in-process against the sandbox in a child (device_licenses over loopback HTTP, HMAC, ${r.licenses + 1} RSA verifications, parse, decide ${r.features} features, durable write of a ${r.stateBytes} B state file); reference: the same ${r.responseBytes} B answer and state bytes through JSON.parse, the same RSA verifications and write+fsync+rename+fsync(dir) alone; runs are the agent's ms per batch${r.failed > 0 ? `; ${r.failed} syncs failed` : ''}`,
  };
}

export function soakRow(r) {
  return {
    measure: `heap growth across ${r.cycles} sync cycles`,
    agent: r.growthBytes / MiB,
    reference: null,
    unit: 'MiB',
    ratio: null,
    bar: `≤ ${SOAK_BAR_BYTES / MiB} MiB`,
    pass: r.failed === 0 && r.growthBytes <= SOAK_BAR_BYTES,
    runs: undefined,
    note: `heapUsed after full GC, end − after ${r.warmup} warm-up cycles; second-half slope ${r.secondHalfSlope.toFixed(1)} B/cycle; ${r.usPerCycle.toFixed(0)} µs per cycle; ${r.failed} failed cycles`,
  };
}

export function idleRow(r) {
  const s = (xs) => xs.map((x) => x / 1000);
  return {
    measure: 'idle CPU per hour',
    agent: median(s(r.agentRuns)),
    reference: median(s(r.bareRuns)),
    unit: 's/h',
    ratio: median(r.bareRuns) === 0 ? null : median(r.agentRuns) / median(r.bareRuns),
    bar: 'info',
    pass: null,
    runs: s(r.agentRuns),
    note: `utime+stime from /proc over ${r.seconds} s in ${r.windows} windows, no questions, syncs a year apart, extrapolated to an hour (one tick = ${(r.tickMsPerHour / 1000).toFixed(1)} s/h); reference: bare node:http idle the same windows; runs are the agent's per window`,
  };
}
