// Start to ready from cached state with the licence server down (bar: < 500 ms), median of
// several runs, beside a bare Node HTTP server's start measured the same way in the same run.
// Usage: npm run build && node bench/start-from-cache.mjs [runs]
import { AGENT_NODE_FLAGS, answersOk, isMain, launch, median, stop, until } from './processes.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = process.env.BENCH_CLI ?? 'dist/bin/main.js';
const BARE = `require('node:http').createServer((q, s) => s.end('{"ok":true}')).listen(+process.env.PORT, '127.0.0.1');`;

let nextPort = 18000 + Math.floor(Math.random() * 2000);
async function timeToReady(args, env, readyPath) {
  const port = nextPort++;
  const started = performance.now();
  const { child, output } = launch(args, {
    ...env,
    PORT: String(port),
    ELA_HTTP__PORT: String(port),
  });
  try {
    await until(answersOk(`http://127.0.0.1:${port}${readyPath}`), `${readyPath} on ${port}`, {
      everyMs: 2,
      child,
    });
    return performance.now() - started;
  } catch (error) {
    console.error(output());
    throw error;
  } finally {
    await stop(child);
  }
}

/** `runs` times in turn, bare node:http's start and the agent's from saved state, offline: ms. */
export async function measureStartFromCache({ runs = 11 } = {}) {
  // 1. A sandbox, and one life of the agent online against it, to leave a saved state behind.
  const dir = mkdtempSync(join(tmpdir(), 'ela-bench-cache-'));
  const sandbox = launch([CLI, 'sandbox', '--public-key-out', join(dir, 'sandbox.pem')]);
  try {
    let url;
    await until(
      () => (url = /License API\s+(\S+)/.exec(sandbox.output())?.[1]) !== undefined,
      () => `the sandbox's URL:\n${sandbox.output()}`,
      { child: sandbox.child },
    );
    writeFileSync(
      join(dir, 'agent.yaml'),
      [
        'device: { hardwareId: bench-device }',
        'stateDirectory: state',
        'licensespring:',
        `  baseUrl: ${url}`,
        '  insecure: { allowPlainHttp: true }',
        '  publicKeyFile: sandbox.pem',
        '  auth: { method: hmac, apiKey: { value: sandbox-api-key-not-a-secret }, sharedKey: { value: sandbox-shared-key-not-a-secret } }',
        'sync: { attempts: 1 }',
        'log: { level: warn }',
      ].join('\n'),
    );
    const config = ['run', '--config', join(dir, 'agent.yaml')];
    await timeToReady([...AGENT_NODE_FLAGS, CLI, ...config], {}, '/readyz');
    // 2. The licence server goes away for good.
    await stop(sandbox.child);

    const bare = [];
    const agent = [];
    for (let i = 0; i < runs; i++) {
      bare.push(await timeToReady(['-e', BARE], {}, '/'));
      agent.push(await timeToReady([...AGENT_NODE_FLAGS, CLI, ...config], {}, '/readyz'));
    }
    return { bare, agent };
  } finally {
    await stop(sandbox.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

function print({ bare, agent }) {
  const fmt = (xs) =>
    `median ${median(xs).toFixed(0).padStart(4)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  console.log(`start to ready, ${agent.length} runs each, licence server down, state on disk`);
  console.log(`  bare node:http server        ${fmt(bare)}`);
  console.log(`  edge-license-agent (cached)  ${fmt(agent)}`);
  console.log(
    `  agent - bare: ${(median(agent) - median(bare)).toFixed(0)} ms; agent / bare: ${(median(agent) / median(bare)).toFixed(2)}x`,
  );
  console.log(`  bar: < 500 ms -> ${median(agent) < 500 ? 'met' : 'NOT met'}`);
}

if (isMain(import.meta.url))
  print(await measureStartFromCache({ runs: Number(process.argv[2] ?? 11) }));
