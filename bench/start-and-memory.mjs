// Start-to-ready time and steady memory of the agent as `npm start` runs it (example config,
// built-in sandbox), beside a bare Node HTTP server measured the same way in the same run; and of
// the agent as a device runs it, with the licence server in another process (the sandbox, started
// with `edge-license-agent sandbox`), so that the sandbox's own memory is not counted.
// Usage: npm run build && node bench/start-and-memory.mjs [runs]
import {
  AGENT_NODE_FLAGS,
  answersOk,
  isMain,
  launch,
  median,
  separateSandbox,
  stop,
  until,
} from './processes.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const BARE = `require('node:http').createServer((q, s) => s.end('{"ok":true}'))
  .listen(0, '127.0.0.1', function () { console.log(JSON.stringify({ url: 'http://127.0.0.1:' + this.address().port })); });`;

function rssMiB(pid) {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function measure(args, env, readyPath) {
  const started = performance.now();
  const { child, output } = launch(args, env);
  const seen = () => `node ${args.join(' ')}:\n${output()}`;
  let url;
  const urlLine = /"url":"(http:\/\/[^"]+)"(,"hardwareId"|})/;
  await until(() => (url = urlLine.exec(output())?.[1]) !== undefined, seen, {
    everyMs: 2,
    child,
  });
  await until(answersOk(url + readyPath), seen, { everyMs: 5, child });
  const startMs = performance.now() - started;
  // Steady state: a few seconds of feature questions, then memory.
  const steadyUntil = performance.now() + 3000;
  while (performance.now() < steadyUntil)
    await fetch(url + (readyPath === '/' ? '/' : '/v1/features/reporting')).then((r) =>
      r.arrayBuffer(),
    );
  await sleep(500);
  const rss = rssMiB(child.pid);
  await stop(child);
  return { startMs, rss };
}

/**
 * `runs` times in turn: bare node:http, `npm start`'s agent (both sandboxes inside it) and the agent
 * with its licence server in another process; every run's start-to-ready ms and steady RSS MiB.
 */
export async function measureStartAndMemory({ runs = 7 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ela-bench-upstream-'));
  const upstream = await separateSandbox(dir);
  const result = { bare: [], agent: [], deviceAgent: [] };
  try {
    for (let i = 0; i < runs; i++) {
      result.bare.push(await measure(['-e', BARE], {}, '/'));
      const stateDirectory = mkdtempSync(join(tmpdir(), 'ela-bench-'));
      result.agent.push(
        await measure(
          [...AGENT_NODE_FLAGS, 'dist/bin/main.js', 'run', '--config', 'config/agent.example.yaml'],
          { ELA_HTTP__PORT: '0', ELA_STATE_DIRECTORY: stateDirectory },
          '/readyz',
        ),
      );
      rmSync(stateDirectory, { recursive: true, force: true });
      result.deviceAgent.push(
        await measure(
          [...AGENT_NODE_FLAGS, 'dist/bin/main.js', 'run', '--config', upstream.config],
          { ELA_HTTP__PORT: '0' },
          '/readyz',
        ),
      );
    }
  } finally {
    await stop(upstream.child);
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

function print({ bare, agent, deviceAgent }) {
  const row = (name, xs) =>
    `${name.padEnd(34)} start-to-ready median ${median(xs.map((x) => x.startMs))
      .toFixed(0)
      .padStart(5)} ms   steady RSS median ${median(xs.map((x) => x.rss))
      .toFixed(1)
      .padStart(6)} MiB`;
  console.log(`runs: ${bare.length}`);
  console.log(row('bare node:http', bare));
  console.log(row('agent (npm start, sandbox, sync)', agent));
  console.log(row('agent (server in another process)', deviceAgent));
  const ratios = (name, xs) =>
    console.log(
      `ratio ${name}/bare: start ${(median(xs.map((x) => x.startMs)) / median(bare.map((x) => x.startMs))).toFixed(2)}x, RSS ${(median(xs.map((x) => x.rss)) / median(bare.map((x) => x.rss))).toFixed(2)}x (bar 1.5x)`,
    );
  ratios('npm start', agent);
  ratios('agent, server apart', deviceAgent);
}

if (isMain(import.meta.url))
  print(await measureStartAndMemory({ runs: Number(process.argv[2] ?? 7) }));
