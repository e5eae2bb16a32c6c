// The rate over time of the three scenarios as one PNG: an SVG drawn here, rendered by headless
// Chromium (found as test/e2e/status-page.e2e.test.ts finds it). No Chromium: no PNG, a note.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const WIDTH = 1200;
const PANEL = 300;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 40 };

export function findChromium() {
  const named = process.env.CHROMIUM;
  if (named) return named;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Writes `png`; returns null, or why it did not. */
export function drawChart(results, png) {
  const chromium = findChromium();
  if (chromium === null) return 'no chromium on PATH: PNG skipped';
  const height = results.length * PANEL;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="13">
<rect width="100%" height="100%" fill="#fff"/>
${results.map((r, i) => panel(r, i * PANEL)).join('\n')}
</svg>`;
  const dir = mkdtempSync(join(tmpdir(), 'fleet-chart-'));
  try {
    const html = join(dir, 'chart.html');
    writeFileSync(html, `<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    execFileSync(
      chromium,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--window-size=${String(WIDTH)},${String(height)}`,
        `--screenshot=${png}`,
        `file://${html}`,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    );
    return null;
  } catch (error) {
    // The numbers are the bench's point; a browser that would not run costs only the picture.
    return `chromium failed (${error.message.split('\n')[0]}): PNG skipped`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One scenario: the 60 s moving rate (blue) over each minute's busiest second (grey). */
function panel(result, top) {
  const perSecond = result.series;
  const seconds = perSecond.length - 1;
  const minutes = Math.floor(seconds / 60);
  const avg = [];
  const max = [];
  for (let m = 0; m < minutes; m++) {
    let sum = 0;
    let peak = 0;
    for (let s = m * 60; s < m * 60 + 60; s++) {
      sum += perSecond[s];
      peak = Math.max(peak, perSecond[s]);
    }
    avg.push(sum / 60);
    max.push(peak);
  }
  const limit = result.plan.perMinute / 60;
  const yMax = niceCeiling(Math.max(limit, ...max) * 1.1);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL - MARGIN.top - MARGIN.bottom;
  const x = (m) => MARGIN.left + (m / minutes) * plotW;
  const y = (v) => top + MARGIN.top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const line = (values) => values.map((v, m) => `${x(m).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const hours = minutes / 60;
  const step = hours > 6 ? 2 : 0.5;
  const ticks = [];
  for (let h = 0; h <= hours + 1e-9; h += step) {
    ticks.push(
      `<text x="${x(h * 60).toFixed(1)}" y="${top + PANEL - 18}" text-anchor="middle">${String(h)} h</text>`,
    );
  }
  const yTicks = [0, yMax / 2, yMax].map(
    (v) =>
      `<text x="${MARGIN.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${String(Math.round(v))}</text><line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`,
  );
  const shade =
    result.shade === undefined
      ? ''
      : `<rect x="${x(result.shade[0] / 60).toFixed(1)}" y="${top + MARGIN.top}" width="${(x(result.shade[1] / 60) - x(result.shade[0] / 60)).toFixed(1)}" height="${plotH}" fill="#f6dcdc"/><text x="${((x(result.shade[0] / 60) + x(result.shade[1] / 60)) / 2).toFixed(1)}" y="${top + MARGIN.top + 14}" text-anchor="middle" fill="#c0392b">server down: 503 / refused</text>`;
  const limitLine =
    limit <= yMax
      ? `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(limit).toFixed(1)}" y2="${y(limit).toFixed(1)}" stroke="#c0392b" stroke-dasharray="6 4"/><text x="${WIDTH - MARGIN.right - 4}" y="${(y(limit) - 5).toFixed(1)}" text-anchor="end" fill="#c0392b">plan limit ${String(limit)} req/s</text>`
      : `<text x="${WIDTH - MARGIN.right - 4}" y="${top + MARGIN.top - 6}" text-anchor="end" fill="#c0392b">plan limit ${String(limit)} req/s (above the scale)</text>`;
  return `<g>
<text x="${MARGIN.left}" y="${top + 24}" font-size="15" font-weight="bold">(${result.scenario}) ${result.title}: ${result.devices.toLocaleString('en-US')} devices, requests per second at the licence server</text>
${shade}
${yTicks.join('\n')}
${ticks.join('\n')}
${limitLine}
<polyline fill="none" stroke="#bbb" stroke-width="1" points="${line(max)}"/>
<polyline fill="none" stroke="#1f4e79" stroke-width="2" points="${line(avg)}"/>
<text x="${MARGIN.left + 8}" y="${top + MARGIN.top + 14}" fill="#1f4e79">each minute's mean</text>
<text x="${MARGIN.left + 160}" y="${top + MARGIN.top + 14}" fill="#999">each minute's busiest second</text>
</g>`;
}

function niceCeiling(value) {
  const v = Math.max(value, 1);
  const pow = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / pow) * pow;
}
