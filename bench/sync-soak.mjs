// Heap across many sync cycles: the agent runs in this process and syncs back to back with the
// sandbox (device_licenses and the feature checks it calls for, over loopback HTTP, HMAC-signed,
// LicenseSignature verified, decisions recomputed, state saved with fsync). After a warm-up, the
// heap is read after a full GC every tenth of the run.
// Bar: no heap growth across 10,000 sync cycles: heapUsed after GC at the end <= after warm-up + 1 MiB.
// The sandbox runs in its own process: it keeps a log of the last 10,000 requests it answered,
// which would otherwise fill this heap during the run and be counted against the agent.
// Usage: npm run build && node --expose-gc bench/sync-soak.mjs [cycles, default 10000]
import { launch, stop, until } from './processes.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startAgent } from '../dist/src/app/start-agent.js';
import { loadConfig } from '../dist/src/config/load-config.js';

const cycles = Number(process.argv[2] ?? 10_000);
const WARMUP = 1_000;
const CHECKPOINTS = 10;
const BAR_BYTES = 1024 * 1024;
const CLI = process.env.BENCH_CLI ?? fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../config/agent.example.yaml', import.meta.url));
const MiB = (bytes) => (bytes / 1024 / 1024).toFixed(2);

if (typeof global.gc !== 'function') {
  console.error('global.gc is missing: run with node --expose-gc bench/sync-soak.mjs');
  process.exit(2);
}
if (!Number.isInteger(cycles) || cycles < CHECKPOINTS) {
  console.error(`cycles: a whole number >= ${CHECKPOINTS}, not ${process.argv[2]}`);
  process.exit(2);
}

/** Syncs happen only when this bench asks; the machine is not read (the hardware ID is set). */
const neverTicks = { every: () => ({ stop: () => undefined }) };
const noMachine = {
  read: () =>
    Promise.resolve({
      components: { mac: null, machineId: null, dmiUuid: null },
      sources: { mac: [], machineId: [], dmiUuid: [] },
      interfaces: [],
    }),
};

/** Logs at warn and above are counted (none are expected), the last one kept for the report. */
const logged = { lines: 0, last: '' };
const logDestination = new Writable({
  write(chunk, _encoding, done) {
    logged.lines += chunk.toString('utf8').split('\n').filter(Boolean).length;
    logged.last = chunk.toString('utf8').trim();
    done();
  },
});

async function memory() {
  await turn();
  global.gc();
  global.gc();
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers, rss };
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

const dir = mkdtempSync(join(tmpdir(), 'ela-bench-soak-'));
const pem = join(dir, 'sandbox.pem');
const sandbox = launch([CLI, 'sandbox', '--public-key-out', pem]);
let agent;
try {
  await until(
    () => /-----END PUBLIC KEY-----/.test(sandbox.output()),
    () => `the sandbox to start:\n${sandbox.output()}`,
    { everyMs: 10, child: sandbox.child },
  );
  const field = (name) => new RegExp(`^${name}\\s+(\\S+)$`, 'm').exec(sandbox.output())?.[1];
  const url = field('License API');

  const base = await loadConfig({ path: EXAMPLE, env: {} });
  agent = await startAgent(
    {
      ...base,
      hardwareIdOverride: 'soak-device',
      stateDirectory: join(dir, 'state'),
      upstream: {
        kind: 'licensespring',
        baseUrl: url,
        auth: { method: 'hmac', apiKey: field('API key'), sharedKey: field('shared key') },
        publicKeyPem: readFileSync(pem, 'utf8'),
      },
      http: { ...base.http, host: '127.0.0.1', port: 0 },
      log: { level: 'warn' },
    },
    { scheduler: neverTicks, systemFacts: noMachine, random: () => 0, logDestination },
  );

  let failed = 0;
  let lastFailure = null;
  let checks = 0;
  const sync = async () => {
    const report = await agent.refresh();
    checks += report.featureChecks.length;
    if (report.result !== 'ok' || report.deviceLicenses.kind !== 'genuine') {
      failed++;
      lastFailure = report;
    }
  };

  for (let i = 0; i < WARMUP; i++) await sync();
  const warmupFailed = failed;
  failed = 0;
  checks = 0;

  const every = Math.floor(cycles / CHECKPOINTS);
  const rows = [{ done: 0, seconds: 0, ...(await memory()) }];
  const started = performance.now();
  let syncing = 0; // time spent in the cycles themselves, without the GCs between tenths
  for (let done = 1; done <= cycles; done++) {
    const t = performance.now();
    await sync();
    syncing += performance.now() - t;
    if (done % every === 0 || done === cycles) {
      rows.push({ done, seconds: (performance.now() - started) / 1000, ...(await memory()) });
    }
  }
  const elapsed = (performance.now() - started) / 1000;

  console.log(
    `sync soak: ${cycles} cycles after ${WARMUP} of warm-up, agent in-process, sandbox in a child`,
  );
  console.log(
    `  feature checks per cycle: ${(checks / cycles).toFixed(1)}; failed cycles: ${failed} (warm-up: ${warmupFailed}); log lines at warn+: ${logged.lines}`,
  );
  if (lastFailure !== null) console.log(`  last failure: ${JSON.stringify(lastFailure)}`);
  if (logged.lines > 0) console.log(`  last log line: ${logged.last}`);
  console.log('');
  console.log('  cycles   heapUsed MiB   external MiB   arrayBuffers MiB   rss MiB   elapsed s');
  for (const r of rows) {
    console.log(
      `  ${String(r.done).padStart(6)}   ${MiB(r.heapUsed).padStart(12)}   ${MiB(r.external).padStart(12)}   ${MiB(r.arrayBuffers).padStart(16)}   ${MiB(r.rss).padStart(7)}   ${r.seconds.toFixed(1).padStart(9)}`,
    );
  }
  const first = rows[0];
  const last = rows.at(-1);
  const growth = last.heapUsed - first.heapUsed;
  const secondHalf = rows
    .filter((r) => r.done >= cycles / 2)
    .map((r) => ({ x: r.done, y: r.heapUsed }));
  console.log('');
  console.log(
    `  heap growth: ${MiB(growth)} MiB over ${cycles} cycles = ${(growth / cycles).toFixed(1)} bytes/cycle; second-half slope: ${slope(secondHalf).toFixed(1)} bytes/cycle (${secondHalf.length} checkpoints)`,
  );
  console.log(
    `  rate: ${(cycles / elapsed).toFixed(0)} cycles/s overall, ${((syncing / cycles) * 1000).toFixed(0)} µs per cycle (${elapsed.toFixed(1)} s in all)`,
  );
  console.log(
    `  bar: heapUsed at the end <= after warm-up + 1 MiB -> ${growth <= BAR_BYTES ? 'met' : 'NOT met'}${failed > 0 ? ' (but some cycles failed: the run does not count)' : ''}`,
  );
} finally {
  await agent?.stop();
  await stop(sandbox.child);
  rmSync(dir, { recursive: true, force: true });
}
