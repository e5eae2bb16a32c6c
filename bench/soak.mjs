// Soak with upstream faults: the built agent, started as it ships (the systemd unit's Node options),
// syncs every second ('* * * * * *', no splay, 2 s request timeout) with the sandbox licence server
// (another process) through a fault proxy in this process that, from a seeded generator, spoils
// 30% of the upstream requests: connections dropped (reset or closed), answers held past the
// timeout, 503 and 429 with Retry-After, bodies truncated, LicenseSignature corrupted. Meanwhile
// the agent answers 50 feature questions a second on its Unix socket. Every few seconds (about
// 120 samples a run) this reads its RSS and open fds from /proc, and its heap used, event-loop
// delay p99 (prom-client's, over the time since the previous scrape), major GC and sync counts from
// its /metrics (metrics.profile: full). Heap used is a sawtooth between major GCs, a few megabytes
// over a minute or two here, so the heap is judged as read at the first sample after each major
// GC (carried forward to the next): close to the live data alone. The raw heap is shown, not judged.
//
// The rule, per measure (bench/soak/verdict.mjs holds it): the run is cut in tenths of its time;
// the first is warm-up, shown but not judged; early = median of the second tenth, late = median
// of the last tenth, slope = least-squares slope over the second half, per hour. A measure FAILS
// ("grows without bound") when it grew AND is still growing:
//   RSS                  late > early + max(5 MiB, 10%)  and  slope x 24 h > early (doubles in a day)
//   heap after major GC  late > early + max(3 MiB, 15%)  and  slope x 24 h > early
//                        (a run with no major GC after warm-up: n/a, not a failure)
//   open fds             late > early + 5                and  slope x 24 h > 100
//   event-loop p99       late > early + max(10 ms, 50%)  and  slope x 24 h > 100 ms
// The agent must also be alive at the end, /healthz and /readyz 200, and still syncing (a sync
// finished in the last tenth). Exit 0 when it is and every measure passes; 1 otherwise; 2 on a
// usage error. A slower leak than the allowances cannot be told from noise in 10 minutes: the
// in-process bench/sync-soak.mjs (heap after forced GC across 10,000 syncs) bounds the heap finer.
//
// Usage: npm run build && node bench/soak.mjs [--minutes N (default 10)] [--seed N] [--fault-rate R]
//   [--json FILE (the run's samples and counts, raw)]
// (npm run bench:soak-faults builds first). bench/run-all.mjs may import soakRows instead.
import { runSoak } from './soak/run-soak.mjs';
import { judge } from './soak/verdict.mjs';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const fixed = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const signed = (x, digits = 1) => (x >= 0 ? '+' : '') + fixed(x, digits);

/** The end of the run is fine: the agent lives, answers both probes and still syncs. */
export function aliveAndReady(end) {
  return end.alive && end.healthz === 200 && end.readyz === 200 && end.syncsInLastTenth > 0;
}

/**
 * Rows for the benchmark table (bench/table.mjs's shape): one per measure, agent = late median,
 * reference = early median (the same run's second tenth), and one for the agent's being alive.
 */
export async function soakRows({ minutes = 10, seed, faultRate } = {}) {
  const result = await runSoak({ minutes, seed, faultRate });
  const verdicts = judge(result.samples).filter((v) => verdictOf(v) !== 'shown');
  const rows = verdicts.map((v) => ({
    measure: `soak ${minutes} min with faults: ${v.label}, last tenth vs second tenth`,
    agent: v.late,
    reference: v.early,
    unit: v.unit,
    ratio: v.late / v.early,
    bar: v.rule,
    pass: v.pass,
    runs: [v.late],
    note: v.measured
      ? `slope ${signed(v.slope, 2)} ${v.unit}/h over the second half (${signed(v.slope * 24)} ${v.unit} in 24 h)`
      : `${verdictOf(v)}: not measured in this run`,
  }));
  rows.push({
    measure: `soak ${minutes} min with faults: agent alive, ready and syncing at the end`,
    agent: result.end.syncsInLastTenth,
    reference: undefined,
    unit: 'syncs in the last tenth',
    ratio: undefined,
    bar: 'alive, /healthz and /readyz 200, a sync finished in the last tenth',
    pass: aliveAndReady(result.end),
    runs: undefined,
    note: describeEnd(result.end),
  });
  return rows;
}

function describeEnd(end) {
  return end.alive
    ? `alive; /healthz ${end.healthz}, /readyz ${end.readyz}; ${end.syncsInLastTenth} syncs in the last tenth; stopped with exit ${end.exit?.code ?? end.exit?.signal}`
    : `DIED (exit ${end.exit?.code ?? end.exit?.signal})`;
}

function verdictOf(v) {
  if (v.judged) return v.pass ? 'PASS' : 'FAIL';
  if (v.rule.startsWith('not judged')) return 'shown';
  return v.pass ? 'n/a (no major GC)' : 'FAIL (not measured)';
}

function tally(counts) {
  if (Object.keys(counts).length === 0) return 'none';
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.entries(counts)
    .map(([k, n]) => `${k} ${n} (${total > 0 ? ((100 * n) / total).toFixed(1) : '0'}%)`)
    .join(', ');
}

/** The report; returns whether the run passed. */
export function report(result, print = console.log) {
  const verdicts = judge(result.samples);
  const spanS = result.samples.length > 0 ? result.samples.at(-1).t / 1000 : 0;
  print(
    `soak: ${result.minutes} min (${spanS.toFixed(0)} s sampled, ${result.samples.length} samples every ${result.everyMs / 1000} s), ` +
      `seed ${result.seed}, fault rate ${result.faultRate}, scrape errors ${result.scrapeErrors}`,
  );
  print('');
  const header = [
    'measure',
    'warm-up (1st tenth)',
    'early (2nd tenth)',
    'late (last tenth)',
    'late - early',
    'slope/h (2nd half)',
    'x 24 h',
    'verdict',
  ];
  const table = verdicts.map((v) => [
    `${v.label} (${v.unit})`,
    fixed(v.warmup),
    fixed(v.early),
    fixed(v.late),
    signed(v.late - v.early),
    signed(v.slope, 2),
    signed(v.slope * 24),
    verdictOf(v),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  print(line(header));
  for (const row of table) print(line(row));
  print('');
  for (const v of verdicts.filter((x) => verdictOf(x) !== 'shown'))
    print(
      `${v.pass ? 'PASS' : 'FAIL'} ${v.label}: ${v.grew ? 'grew' : 'did not grow'} past its allowance, ` +
        `${v.growing ? 'still growing' : 'not growing'} at the end (rule: ${v.rule})`,
    );
  print('');
  print(`faults injected (upstream requests): ${tally(result.faults)}`);
  print(`agent's sync results: ${tally(result.syncResults)}`);
  const causes = Object.fromEntries(Object.entries(result.failureCauses).filter(([, n]) => n > 0));
  print(`agent's upstream failures by cause: ${tally(causes)}`);
  const q = result.questions;
  print(
    `feature questions on the Unix socket: ${q.asked} asked, ${q.ok} answered 200, ${q.notOk} other status, ` +
      `${q.errors} errors, ${q.flips} answers that changed${q.lastProblem ? ` (last: ${q.lastProblem})` : ''}`,
  );
  print(
    `agent log: ${result.log.lines} lines, ${result.log.warn} warn, ${result.log.error} error or worse` +
      (result.log.lastError ? `; last: ${result.log.lastError.slice(0, 300)}` : ''),
  );
  const ok = aliveAndReady(result.end);
  print(`${ok ? 'PASS' : 'FAIL'} agent at the end: ${describeEnd(result.end)}`);
  if (!result.end.alive) print(`its last lines:\n${result.log.tail.join('\n')}`);
  return ok && verdicts.every((v) => v.pass);
}

async function main() {
  let options;
  try {
    ({ values: options } = parseArgs({
      options: {
        minutes: { type: 'string', default: '10' },
        seed: { type: 'string', default: '23' },
        'fault-rate': { type: 'string', default: '0.3' },
        json: { type: 'string' },
      },
    }));
  } catch (error) {
    console.error(
      `${error.message}\nusage: node bench/soak.mjs [--minutes N] [--seed N] [--fault-rate R] [--json FILE]`,
    );
    return 2;
  }
  const minutes = Number(options.minutes);
  const seed = Number(options.seed);
  const faultRate = Number(options['fault-rate']);
  if (!(minutes > 0) || !Number.isInteger(seed) || !(faultRate >= 0 && faultRate <= 1)) {
    console.error('--minutes: a number > 0; --seed: a whole number; --fault-rate: 0 to 1');
    return 2;
  }
  const result = await runSoak({
    minutes,
    seed,
    faultRate,
    progress: (line) => console.error(line),
  });
  if (options.json !== undefined) writeFileSync(options.json, JSON.stringify(result, null, 1));
  return report(result) ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main();
