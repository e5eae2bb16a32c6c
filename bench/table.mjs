// The one table `npm run bench` prints (bench/run-all.mjs), and the shape of its rows, which every
// source of rows returns: run-all's own measures and bench/fleet/rows.mjs's fleetRows().

/**
 * One line of the table.
 *
 * @typedef {object} Row
 * @property {string} measure what is measured, with its transport or variant ("req/s, TCP GET …")
 * @property {number | null} agent the agent's value; where a measure ran several times, the
 *   median of its runs; null when it could not be measured
 * @property {number | null} reference what the agent is held against, measured in the same run
 *   (bare node:http, the Unleash proxy, the same bytes through the irreducible work); null when
 *   the bar is absolute
 * @property {string} unit the unit of `agent` and `reference` ("req/s", "ms", "MiB", …)
 * @property {number | null} ratio agent / reference, or null without a reference
 * @property {string} bar the bar in words ("ratio ≥ 0.7", "≤ ref + 1 ms", "< 500 ms"), or
 *   "info" for a measure shown without one
 * @property {boolean | null} pass whether the bar is met; null for "info", or when not measured
 * @property {number[] | undefined} runs every run's value of what the bar judges (a ratio per
 *   round, a p99 difference per round, the agent's value per run), in the order they ran, so that a
 *   bar met by one run of three shows; undefined for a measure made once
 * @property {string} note how to read the row: what the runs are, what the reference is, why a
 *   row is missing
 */

/** A row for a measure that failed or is absent: no values, no verdict, the reason as its note. */
export function missingRow(measure, note) {
  return {
    measure,
    agent: null,
    reference: null,
    unit: '',
    ratio: null,
    bar: 'info',
    pass: null,
    runs: undefined,
    note,
  };
}

/** Three significant figures or so, whole numbers from 100 up. */
export function figure(x) {
  if (typeof x !== 'number' || Number.isNaN(x)) return '—';
  const size = Math.abs(x);
  if (size >= 100) return x.toFixed(0);
  if (size >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

// Rows may come from another module (bench/fleet/rows.mjs): a field it leaves out shows as absent.
const verdict = (pass) => (pass === true ? 'PASS' : pass === false ? 'FAIL' : '—');

/**
 * The rows as a Markdown table (readable in a terminal, pasteable into a document), the notes
 * numbered beneath it.
 */
export function formatTable(rows) {
  const notes = [];
  const header = [
    'measure',
    'agent',
    'reference',
    'unit',
    'ratio',
    'bar',
    'result',
    'every run',
    'note',
  ];
  const cells = rows.map((row) => {
    let mark = '';
    if (row.note) {
      // Rows of one kind share their note: it is printed once.
      if (!notes.includes(row.note)) notes.push(row.note);
      mark = `[${notes.indexOf(row.note) + 1}]`;
    }
    return [
      String(row.measure),
      figure(row.agent),
      figure(row.reference),
      row.unit ?? '',
      typeof row.ratio === 'number' ? row.ratio.toFixed(2) : '—',
      row.bar ?? 'info',
      verdict(row.pass),
      Array.isArray(row.runs) ? row.runs.map(figure).join(' / ') : '—',
      mark,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const numeric = new Set([1, 2, 4]);
  const line = (c) =>
    `| ${c.map((text, i) => (numeric.has(i) ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [
    line(header),
    rule,
    ...cells.map(line),
    '',
    ...notes.map((note, i) => `[${i + 1}] ${note}`),
  ].join('\n');
}

/** How many rows met their bar, failed it, or have none. */
export function tally(rows) {
  return {
    pass: rows.filter((r) => r.pass === true).length,
    fail: rows.filter((r) => r.pass === false).length,
    info: rows.filter((r) => r.pass === null).length,
  };
}
