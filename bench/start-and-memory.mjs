// Start-to-ready time and steady memory of the agent as `npm start` runs it (example config,
// built-in sandbox), beside a bare Node HTTP server measured the same way in the same run; and of
// the agent as a device runs it, with the licence server in another process (the sandbox, started
// with `edge-license-agent sandbox`), so that the sandbox's own memory is not counted.
// Usage: npm run build && node bench/start-and-memory.mjs [runs]
import {
  AGENT_NODE_FLAGS,
  answersOk,
  launch,
  median,
  separateSandbox,
  stop,
  until,
} from './processes.mjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const runs = Number(process.argv[2] ?? 7);
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

const upstream = await separateSandbox(mkdtempSync(join(tmpdir(), 'ela-bench-upstream-')));
const bare = [];
const agent = [];
const deviceAgent = [];
for (let i = 0; i < runs; i++) {
  bare.push(await measure(['-e', BARE], {}, '/'));
  agent.push(
    await measure(
      [...AGENT_NODE_FLAGS, 'dist/bin/main.js', 'run', '--config', 'config/agent.example.yaml'],
      {
        ELA_HTTP__PORT: '0',
        ELA_STATE_DIRECTORY: mkdtempSync(join(tmpdir(), 'ela-bench-')),
      },
      '/readyz',
    ),
  );
  deviceAgent.push(
    await measure(
      [...AGENT_NODE_FLAGS, 'dist/bin/main.js', 'run', '--config', upstream.config],
      { ELA_HTTP__PORT: '0' },
      '/readyz',
    ),
  );
}
upstream.child.kill('SIGTERM');
const row = (name, xs) =>
  `${name.padEnd(34)} start-to-ready median ${median(xs.map((x) => x.startMs))
    .toFixed(0)
    .padStart(5)} ms   steady RSS median ${median(xs.map((x) => x.rss))
    .toFixed(1)
    .padStart(6)} MiB`;
console.log(`runs: ${runs}`);
console.log(row('bare node:http', bare));
console.log(row('agent (npm start, sandbox, sync)', agent));
console.log(row('agent (server in another process)', deviceAgent));
const ratios = (name, xs) =>
  console.log(
    `ratio ${name}/bare: start ${(median(xs.map((x) => x.startMs)) / median(bare.map((x) => x.startMs))).toFixed(2)}x, RSS ${(median(xs.map((x) => x.rss)) / median(bare.map((x) => x.rss))).toFixed(2)}x (bar 1.5x)`,
  );
ratios('npm start', agent);
ratios('agent, server apart', deviceAgent);
