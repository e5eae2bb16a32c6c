// CPU time the agent spends idle: no questions asked, syncs far apart (once a year), sampled from
// /proc/<pid>/stat (utime + stime) over a few windows and extrapolated to an hour, beside a bare
// node:http server idling the same windows in the same run. The agent runs as on a device, its
// licence server (the sandbox) in another process.
// Usage: npm run build && node bench/idle-cpu.mjs [seconds, default 60]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AGENT_NODE_FLAGS,
  answersOk,
  BARE_SERVER,
  CPU_TICK_MS,
  cpuMs,
  freePort,
  isMain,
  launch,
  median,
  separateSandbox,
  stop,
  until,
} from './processes.mjs';

const CLI = process.env.BENCH_CLI ?? 'dist/bin/main.js';
const HOUR_MS = 3_600_000;
/** After ready: the first sync's and start's leftovers (a GC, the JIT) are not idling. */
const SETTLE_MS = 3_000;

/**
 * Both processes idle for `seconds`, split into `windows`; each window's CPU time extrapolated to
 * ms per hour. `tickMs`: the resolution of one reading.
 */
export async function measureIdleCpu({ seconds = 60, windows = 3 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ela-bench-idle-'));
  const children = [];
  try {
    const agentPort = await freePort();
    const upstream = await separateSandbox(dir, [
      'device: { hardwareId: idle-device }',
      `http: { port: ${agentPort} }`,
      "sync: { schedule: '0 0 1 1 *' }",
      'log: { level: warn }',
    ]);
    children.push(upstream.child);
    const agent = launch([...AGENT_NODE_FLAGS, CLI, 'run', '--config', upstream.config]);
    children.push(agent.child);
    const bare = launch(['-e', BARE_SERVER], { PORT: String(await freePort()), BODY: '{}' });
    children.push(bare.child);
    await until(answersOk(`http://127.0.0.1:${agentPort}/readyz`), () => agent.output(), {
      child: agent.child,
    });
    await until(
      () => bare.output().includes('listening'),
      () => bare.output(),
      {
        child: bare.child,
      },
    );
    await sleep(SETTLE_MS);
    const agentRuns = [];
    const bareRuns = [];
    const windowMs = (seconds * 1000) / windows;
    for (let w = 0; w < windows; w++) {
      const [a0, b0, t0] = [cpuMs(agent.child.pid), cpuMs(bare.child.pid), performance.now()];
      await sleep(windowMs);
      const [a1, b1, t1] = [cpuMs(agent.child.pid), cpuMs(bare.child.pid), performance.now()];
      agentRuns.push(((a1 - a0) * HOUR_MS) / (t1 - t0));
      bareRuns.push(((b1 - b0) * HOUR_MS) / (t1 - t0));
    }
    return {
      seconds,
      windows,
      agentRuns,
      bareRuns,
      tickMsPerHour: (CPU_TICK_MS * HOUR_MS) / windowMs,
    };
  } finally {
    for (const child of children.reverse()) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const r = await measureIdleCpu({ seconds: Number(process.argv[2] ?? 60) });
  const s = (xs) => xs.map((x) => (x / 1000).toFixed(1)).join(' / ');
  console.log(
    `idle CPU, ${r.seconds} s in ${r.windows} windows, extrapolated to an hour (one /proc tick = ${(r.tickMsPerHour / 1000).toFixed(1)} s/h)`,
  );
  console.log(
    `  agent           CPU s per hour: ${s(r.agentRuns)} (median ${(median(r.agentRuns) / 1000).toFixed(1)})`,
  );
  console.log(
    `  bare node:http  CPU s per hour: ${s(r.bareRuns)} (median ${(median(r.bareRuns) / 1000).toFixed(1)})`,
  );
}
