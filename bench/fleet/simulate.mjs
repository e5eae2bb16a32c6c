// The fleet simulation (issue 23, item 2): node bench/fleet/simulate.mjs [--devices N] [--scenario a|b|c]
// (npm run bench:fleet-sim builds first). With neither option: 10,000 and 100,000 devices, all
// three scenarios, and docs/fleet-simulation.png from the 10,000-device runs.
//
// What runs: the BUILT agent code (dist/src): SyncPlanner (adaptive cadence, slot = splay from the
// hardware ID), syncBoundaries, runSyncCycle with callWithRetry and the backoff policy at the
// config defaults (3 attempts, 1 s base, 30 s cap, Retry-After up to 120 s). Each device is driven
// as src/agent/sync-loop.ts drives them (bench/fleet/device.mjs says how and why not SyncLoop
// itself) on a virtual clock: a heap of timers backing the Clock, Sleep and a seeded Random.
//
// The server (license-server.mjs): genuine answers dated virtual now; 503 or connection refused in
// an outage; 429 with Retry-After from token buckets per company (1,800/min smallest plan for
// 10,000 devices, 18,000/min largest for 100,000) and per credential (50/s), after the vendor
// README (../shared/api/README.md beside the repo, "Rate limits"; quoted in license-server.mjs).
//
// Figures: "requests" are every attempt that reached (or, in an outage, tried) the server, counted
// per virtual second. Means are over a stated window: the first hour after power-on (the cadence's
// longest gap, over which slots spread the fleet), hour 1-2 for the steady rate before the outage,
// the measured day for scenario c. Peaks are taken over 60 s moving windows (the bars) and over
// single seconds (printed too): at 6 requests a second a single second is Poisson noise, so the 1 s
// peak/mean would be near 4x for any spread, however even. "Sustained 429s" is two or more
// consecutive minutes that each saw a 429. Calls per device per day: the planner's own 24-hour
// count at the end of the day, and the server's count of that device's requests over the day.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawChart } from './chart.mjs';
import { printResult, runScenario } from './report.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? null : args[i + 1];
};
const devices = option('--devices');
const only = option('--scenario');
if (only !== null && !['a', 'b', 'c'].includes(only)) {
  console.error('usage: simulate.mjs [--devices N] [--scenario a|b|c]');
  process.exit(2);
}
const sizes = devices === null ? [10_000, 100_000] : [Number(devices)];
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error('--devices takes a positive whole number');
  process.exit(2);
}
const scenarios = only === null ? ['a', 'b', 'c'] : [only];

const started = performance.now();
let failed = 0;
const charted = [];
for (const size of sizes) {
  for (const scenario of scenarios) {
    const result = await runScenario(scenario, size);
    printResult(result);
    failed += result.bars.filter((b) => b.value > b.limit).length;
    if (size === 10_000) charted.push(result);
  }
}
if (charted.length === 3) {
  const png = join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'docs',
    'fleet-simulation.png',
  );
  mkdirSync(dirname(png), { recursive: true });
  const skipped = drawChart(charted, png);
  console.log(skipped === null ? `\nchart: ${png}` : `\nchart: ${skipped}`);
}
console.log(
  `\n${failed === 0 ? 'all bars PASS' : `${String(failed)} bar(s) FAIL`}; ${((performance.now() - started) / 1000).toFixed(1)} s in all`,
);
