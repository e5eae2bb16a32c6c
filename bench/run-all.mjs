// Every benchmark in one run, one table: measure | agent | reference (measured in the same run) |
// ratio | bar | result | every run. Written to a JSON file as well (rows and raw results). It is a
// report: it exits 0 whatever the bars say, and a measure that fails becomes a row saying so.
// Usage: npm run bench [-- --quick] [-- --json PATH] [-- --only load,memory,...]
//   --quick   fewer and shorter runs (about 2 minutes instead of about 6)
//   --json    where to write the results (default: bench-results.json in the working directory)
//   --only    a comma-separated subset of: load, memory, cache, sync-cpu, soak, idle, fleet
// Needs node --expose-gc (for the soak) and a build (npm run bench does both).
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measureIdleCpu } from './idle-cpu.mjs';
import { measureLoad } from './load.mjs';
import {
  idleRow,
  loadRows,
  memoryRows,
  soakRow,
  startFromCacheRow,
  syncCpuRow,
} from './measure-rows.mjs';
import { stopAll } from './processes.mjs';
import { measureStartAndMemory } from './start-and-memory.mjs';
import { measureStartFromCache } from './start-from-cache.mjs';
import { measureSyncCpu } from './sync-cpu.mjs';
import { soakSyncs } from './sync-soak.mjs';
import { formatTable, missingRow, tally } from './table.mjs';

const MEASURES = ['load', 'memory', 'cache', 'sync-cpu', 'soak', 'idle', 'fleet'];
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string', default: 'bench-results.json' },
    only: { type: 'string' },
  },
});
const only = new Set(flags.only?.split(',') ?? MEASURES);
const unknown = [...only].filter((name) => !MEASURES.includes(name));
if (unknown.length > 0) {
  console.error(`--only: no measure ${unknown.join(', ')} (measures: ${MEASURES.join(', ')})`);
  process.exit(2);
}
const quick = flags.quick;
const SETTINGS = quick
  ? {
      load: { seconds: 2, warmupSeconds: 1, rounds: 2 },
      memory: { runs: 1 },
      cache: { runs: 3 },
      syncCpu: { syncs: 20, batches: 3, warmup: 10 },
      soak: { cycles: 1_000, warmup: 200 },
      idle: { seconds: 15, windows: 3 },
    }
  : {
      load: { seconds: 5, warmupSeconds: 1, rounds: 3 },
      memory: { runs: 3 },
      cache: { runs: 7 },
      syncCpu: { syncs: 100, batches: 3, warmup: 20 },
      soak: { cycles: 10_000, warmup: 1_000 },
      idle: { seconds: 60, windows: 3 },
    };

// A bench stopped by a signal stops what it started.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the bench's processes`);
    void stopAll().finally(() => process.exit(130));
  });
}

const rows = [];
const raw = {};
const started = performance.now();
const log = (text) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${text}`);

/** Runs one measure; what it throws becomes a row that says so, and the run goes on. */
async function section(name, title, measure, toRows) {
  if (!only.has(name)) return;
  log(`${title} …`);
  try {
    const result = await measure();
    raw[name] = result;
    rows.push(...toRows(result));
  } catch (error) {
    rows.push(
      missingRow(title, `not measured: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

async function fleetRows() {
  const module = new URL('./fleet/rows.mjs', import.meta.url);
  if (!existsSync(module))
    return [missingRow('fleet simulation', 'not present: bench/fleet/rows.mjs')];
  const { fleetRows: rowsOf } = await import(module.href);
  return rowsOf({ quick });
}

try {
  // The load rows first and alone: they need the cores to themselves.
  await section(
    'load',
    'local API load',
    () => measureLoad({ ...SETTINGS.load, peer: true }),
    loadRows,
  );
  await section(
    'memory',
    'start and memory',
    () => measureStartAndMemory(SETTINGS.memory),
    memoryRows,
  );
  await section(
    'cache',
    'start from saved state',
    () => measureStartFromCache(SETTINGS.cache),
    (r) => [startFromCacheRow(r)],
  );
  // Idle CPU is the idle processes' own time, whatever else runs: it is sampled while the
  // in-process measures run, rather than a minute on its own.
  const idle = only.has('idle')
    ? measureIdleCpu(SETTINGS.idle).then(
        (r) => ({ ok: true, r }),
        (error) => ({ ok: false, error }),
      )
    : null;
  if (idle !== null) log('idle CPU (alongside) …');
  await section(
    'sync-cpu',
    'CPU per sync',
    () => measureSyncCpu(SETTINGS.syncCpu),
    (r) => [syncCpuRow(r)],
  );
  await section(
    'soak',
    'sync soak',
    () => soakSyncs(SETTINGS.soak),
    (r) => [soakRow(r)],
  );
  await section(
    'idle',
    'idle CPU per hour',
    async () => {
      const outcome = await idle;
      if (!outcome.ok) throw outcome.error;
      return outcome.r;
    },
    (r) => [idleRow(r)],
  );
  await section(
    'fleet',
    'fleet simulation',
    () => fleetRows(),
    (r) => r,
  );
} finally {
  await stopAll();
}

const seconds = (performance.now() - started) / 1000;
const counts = tally(rows);
console.log(
  `edge-license-agent benchmarks${quick ? ' (--quick)' : ''}: node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${seconds.toFixed(0)} s`,
);
console.log();
console.log(formatTable(rows));
console.log();
console.log(`${counts.pass} met, ${counts.fail} not met, ${counts.info} without a bar`);
const path = resolve(flags.json);
writeFileSync(
  path,
  `${JSON.stringify(
    {
      version: 1,
      finishedAt: new Date().toISOString(),
      seconds,
      quick,
      node: process.version,
      cores: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? '?',
      settings: SETTINGS,
      rows,
      raw,
    },
    null,
    2,
  )}\n`,
);
console.log(`results: ${path}`);
