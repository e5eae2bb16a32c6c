// Heap across many sync cycles: the agent runs in this process and syncs back to back with the
// sandbox (device_licenses and the feature checks it calls for, over loopback HTTP, HMAC-signed,
// LicenseSignature verified, decisions recomputed, state saved with fsync). After a warm-up, the
// heap is read after a full GC every tenth of the run.
// Bar: no heap growth across 10,000 sync cycles: heapUsed after GC at the end <= after warm-up + 1 MiB.
// The sandbox runs in its own process: it keeps a log of the last 10,000 requests it answered,
// which would otherwise fill this heap during the run and be counted against the agent.
// Usage: npm run build && node --expose-gc bench/sync-soak.mjs [cycles, default 10000]
import { isMain, launch, stop, until } from './processes.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startBenchAgent } from './in-process-agent.mjs';

export const SOAK_BAR_BYTES = 1024 * 1024;
const CHECKPOINTS = 10;
const CLI = process.env.BENCH_CLI ?? fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));
const MiB = (bytes) => (bytes / 1024 / 1024).toFixed(2);

/** Logs at warn and above are counted (none are expected), the last one kept for the report. */
function countingLog() {
  const logged = { lines: 0, last: '' };
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logged.lines += chunk.toString('utf8').split('\n').filter(Boolean).length;
      logged.last = chunk.toString('utf8').trim();
      done();
    },
  });
  return { logged, destination };
}

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

/**
 * `warmup` sync cycles, then `cycles` more with the heap read after a full GC every tenth; needs
 * node --expose-gc. Returns the checkpoints and what they say.
 */
export async function soakSyncs({ cycles = 10_000, warmup = 1_000 } = {}) {
  if (typeof global.gc !== 'function')
    throw new Error('global.gc is missing: run with node --expose-gc');
  if (!Number.isInteger(cycles) || cycles < CHECKPOINTS)
    throw new Error(`cycles: a whole number >= ${CHECKPOINTS}, not ${cycles}`);
  const { logged, destination: logDestination } = countingLog();
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

    agent = await startBenchAgent({
      hardwareId: 'soak-device',
      stateDirectory: join(dir, 'state'),
      baseUrl: url,
      apiKey: field('API key'),
      sharedKey: field('shared key'),
      publicKeyPem: readFileSync(pem, 'utf8'),
      logDestination,
    });

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

    for (let i = 0; i < warmup; i++) await sync();
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
    const secondHalf = rows
      .filter((r) => r.done >= cycles / 2)
      .map((r) => ({ x: r.done, y: r.heapUsed }));
    return {
      cycles,
      warmup,
      rows,
      growthBytes: rows.at(-1).heapUsed - rows[0].heapUsed,
      secondHalfSlope: slope(secondHalf),
      secondHalfPoints: secondHalf.length,
      failed,
      warmupFailed,
      lastFailure,
      logged: { ...logged },
      checksPerCycle: checks / cycles,
      elapsedSeconds: elapsed,
      usPerCycle: (syncing / cycles) * 1000,
    };
  } finally {
    await agent?.stop();
    await stop(sandbox.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(r) {
  console.log(
    `sync soak: ${r.cycles} cycles after ${r.warmup} of warm-up, agent in-process, sandbox in a child`,
  );
  console.log(
    `  feature checks per cycle: ${r.checksPerCycle.toFixed(1)}; failed cycles: ${r.failed} (warm-up: ${r.warmupFailed}); log lines at warn+: ${r.logged.lines}`,
  );
  if (r.lastFailure !== null) console.log(`  last failure: ${JSON.stringify(r.lastFailure)}`);
  if (r.logged.lines > 0) console.log(`  last log line: ${r.logged.last}`);
  console.log('');
  console.log('  cycles   heapUsed MiB   external MiB   arrayBuffers MiB   rss MiB   elapsed s');
  for (const row of r.rows) {
    console.log(
      `  ${String(row.done).padStart(6)}   ${MiB(row.heapUsed).padStart(12)}   ${MiB(row.external).padStart(12)}   ${MiB(row.arrayBuffers).padStart(16)}   ${MiB(row.rss).padStart(7)}   ${row.seconds.toFixed(1).padStart(9)}`,
    );
  }
  console.log('');
  console.log(
    `  heap growth: ${MiB(r.growthBytes)} MiB over ${r.cycles} cycles = ${(r.growthBytes / r.cycles).toFixed(1)} bytes/cycle; second-half slope: ${r.secondHalfSlope.toFixed(1)} bytes/cycle (${r.secondHalfPoints} checkpoints)`,
  );
  console.log(
    `  rate: ${(r.cycles / r.elapsedSeconds).toFixed(0)} cycles/s overall, ${r.usPerCycle.toFixed(0)} µs per cycle (${r.elapsedSeconds.toFixed(1)} s in all)`,
  );
  console.log(
    `  bar: heapUsed at the end <= after warm-up + 1 MiB -> ${r.growthBytes <= SOAK_BAR_BYTES ? 'met' : 'NOT met'}${r.failed > 0 ? ' (but some cycles failed: the run does not count)' : ''}`,
  );
}

if (isMain(import.meta.url)) print(await soakSyncs({ cycles: Number(process.argv[2] ?? 10_000) }));
