// The fleet simulation's rows for bench/run-all.mjs: { measure, agent, reference, unit, ratio,
// bar, pass, runs, note }. quick: 10,000 devices only (the full run adds 100,000).
import { runScenario } from './report.mjs';

export async function fleetRows({ quick }) {
  const sizes = quick ? [10_000] : [10_000, 100_000];
  const rows = [];
  for (const size of sizes) {
    for (const scenario of ['a', 'b', 'c']) {
      const result = await runScenario(scenario, size);
      for (const bar of result.bars) {
        // A ratio bar compares two rates of the same run (peak against mean or steady); the others
        // hold one figure to a limit.
        const { compared } = bar;
        rows.push({
          measure: `fleet ${size.toLocaleString('en-US')}: ${bar.measure}`,
          agent: round(compared?.agent ?? bar.value),
          reference: compared === undefined ? null : round(compared.reference),
          unit: compared?.unit ?? bar.unit,
          ratio: compared === undefined ? null : round(bar.value),
          bar: `<= ${String(bar.limit)} ${bar.unit}`,
          pass: bar.value <= bar.limit,
          // The simulation is deterministic (seeded): one run is every run.
          runs: [round(compared?.agent ?? bar.value)],
          note: bar.note,
        });
      }
    }
  }
  return rows;
}

function round(n) {
  return Math.round(n * 100) / 100;
}
