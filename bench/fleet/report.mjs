// Runs the scenarios for one fleet size and turns them into figures, bars and printed lines.
import { expiringDay, outage, powerOn } from './scenarios.mjs';
import {
  longestMinutesWith,
  maxAndMean,
  meanRate,
  peakSecond,
  peakWindow,
  total,
} from './stats.mjs';

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const secondsOf = (ms) => (Number.isFinite(ms) ? `${fmt(ms / 1000, 0)} s` : 'never');

/**
 * Each result: { scenario, devices, lines[], bars: [{ measure, value, limit, unit, pass }], series }.
 * `series` is the per-second request count, for the chart.
 */
export async function runScenario(scenario, devices) {
  const started = performance.now();
  const result = await byName[scenario](devices);
  return { ...result, devices, wallMs: performance.now() - started };
}

const byName = {
  async a(devices) {
    const r = await powerOn(devices, { saved: true });
    const fresh = await powerOn(devices, { saved: false });
    const req = r.server.requests;
    const mean = meanRate(req, r.window);
    const peak60 = peakWindow(req, r.window);
    const peak1 = peakSecond(req, r.window);
    const freshMean = meanRate(fresh.server.requests, r.window);
    const freshPeak1 = peakSecond(fresh.server.requests, r.window);
    const freshPeak60 = peakWindow(fresh.server.requests, r.window);
    return {
      scenario: 'a',
      title: 'power-on in one second',
      plan: r.plan,
      series: req,
      lines: [
        `saved answers: mean ${fmt(mean)} req/s over the first hour; peak 60 s ${fmt(peak60)} req/s (${fmt(peak60 / mean)}x); peak 1 s ${String(peak1)} req/s (${fmt(peak1 / mean)}x); 429s ${String(total(r.server.tooMany, [0, r.horizon / 1000]))}; every device synced after ${secondsOf(r.allInSyncMs)}`,
        `fresh fleet (no saved answers, extra): mean ${fmt(freshMean)} req/s over the first hour; peak 60 s ${fmt(freshPeak60)} req/s (${fmt(freshPeak60 / freshMean)}x); peak 1 s ${String(freshPeak1)} req/s; 429s ${String(total(fresh.server.tooMany, [0, fresh.horizon / 1000]))}; ${String(fresh.synced)} of ${String(devices)} devices synced within ${String(fresh.horizon / 3_600_000)} h${fresh.synced === devices ? `, the last after ${secondsOf(fresh.allInSyncMs)}` : ''}`,
      ],
      bars: [
        {
          measure: 'power-on peak/mean (60 s windows, first hour)',
          value: peak60 / mean,
          limit: 1.3,
          compared: { agent: peak60, reference: mean, unit: 'req/s' },
          unit: 'x',
          note: `peak ${fmt(peak60)} req/s, mean ${fmt(mean)} req/s; 1 s peak ${fmt(peak1 / mean)}x`,
        },
      ],
    };
  },

  async b(devices) {
    const r = await outage(devices);
    const req = r.server.requests;
    const steady = meanRate(req, r.steadyWindow);
    const peak60 = peakWindow(req, r.recoveryWindow);
    const peak1 = peakSecond(req, r.recoveryWindow);
    const during = meanRate(req, r.outageWindow);
    const after429 = total(r.server.tooMany, r.recoveryWindow);
    const sustained = longestMinutesWith(r.server.tooMany, r.recoveryWindow);
    return {
      scenario: 'b',
      title: 'one-hour outage, then recovery',
      plan: r.plan,
      shade: r.outageWindow,
      series: req,
      lines: [
        `steady (hour 1-2) ${fmt(steady)} req/s; during the outage (hour 2-3) ${fmt(during)} attempts/s; after it (hour 3-5) peak 60 s ${fmt(peak60)} req/s (${fmt(peak60 / steady)}x steady), peak 1 s ${String(peak1)}; 429s after it ${String(after429)} (longest run of minutes with a 429: ${String(sustained)}); every device back in sync ${secondsOf(r.backInSyncMs)} after the outage ended`,
      ],
      bars: [
        {
          measure: 'after-outage peak / steady rate (60 s windows)',
          value: peak60 / steady,
          limit: 1.5,
          compared: { agent: peak60, reference: steady, unit: 'req/s' },
          unit: 'x',
          note: `peak ${fmt(peak60)} req/s, steady ${fmt(steady)} req/s; back in sync after ${secondsOf(r.backInSyncMs)}`,
        },
        {
          measure: 'after-outage sustained 429s (consecutive minutes with one)',
          value: sustained,
          limit: 1,
          unit: 'min',
          note: `${String(after429)} 429s after the outage`,
        },
      ],
    };
  },

  async c(devices) {
    const r = await expiringDay(devices);
    const req = r.server.requests;
    const mean = meanRate(req, r.window);
    const peak60 = peakWindow(req, r.window);
    const planner = maxAndMean(r.plannerCalls);
    const server = maxAndMean(r.serverCalls);
    return {
      scenario: 'c',
      title: 'a day with 5% of licences expiring',
      plan: r.plan,
      series: req,
      lines: [
        `${String(r.expiring)} licences end in the day (${String(r.renewed)} renewed first); mean ${fmt(mean)} req/s, peak 60 s ${fmt(peak60)} req/s (${fmt(peak60 / mean)}x), 429s ${String(total(r.server.tooMany, [0, r.horizon / 1000]))}`,
        `calls per device per day: planner max ${String(planner.max)} mean ${fmt(planner.mean)}; server max ${String(server.max)} mean ${fmt(server.mean)}`,
      ],
      bars: [
        {
          measure: 'calls per device per day (max, server count)',
          value: Math.max(server.max, planner.max),
          limit: 250,
          unit: 'calls',
          note: `mean ${fmt(server.mean)} (server), ${fmt(planner.mean)} (planner)`,
        },
      ],
    };
  },
};

export function printResult(result, out = console.log) {
  const { plan } = result;
  out(
    `\n[${result.scenario}] ${result.title}: ${result.devices.toLocaleString('en-US')} devices, ${plan.name} plan (${plan.perMinute.toLocaleString('en-US')}/min, ${String(plan.perCredentialPerSecond)}/s on each of ${String(plan.credentials)} credential${plan.credentials > 1 ? 's' : ''}), ${fmt(result.wallMs / 1000, 1)} s to simulate`,
  );
  for (const line of result.lines) out(`  ${line}`);
  for (const bar of result.bars) {
    const pass = bar.value <= bar.limit;
    out(
      `  ${pass ? 'PASS' : 'FAIL'} ${bar.measure}: ${fmt(bar.value)} ${bar.unit} (bar <= ${String(bar.limit)})`,
    );
  }
}
