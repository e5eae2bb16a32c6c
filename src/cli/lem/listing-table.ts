import { writeCsv } from '../../adapters/lem/csv.js';

/** One value of a listing: a time is already an ISO string, a missing value is null. */
export type Cell = string | number | boolean | null;

export interface Column<R> {
  /** The table's heading: upper case, for people. */
  readonly title: string;
  /** The CSV header: the field's name as in --json, for programs. */
  readonly name: string;
  readonly value: (row: R) => Cell;
  /** Shown in the table too; false for what is for programs only (a licence key). */
  readonly onScreen?: boolean;
  /** How the table shows the value when it says more than the raw one (-1 → unmetered). */
  readonly shown?: (row: R) => string;
}

const NONE = '-';

/** Columns padded to their widest cell, two spaces apart; "(none)" under an empty header. */
export function renderTable<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const visible = columns.filter((c) => c.onScreen !== false);
  const lines = [
    visible.map((c) => c.title),
    ...rows.map((row) => visible.map((c) => c.shown?.(row) ?? screenText(c.value(row)))),
  ];
  const widths = visible.map((_, i) => Math.max(...lines.map((line) => (line[i] ?? '').length)));
  const text = lines.map((line) =>
    line
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  if (rows.length === 0) text.push('(none)');
  return text.join('\n');
}

/** A header row of field names, then every row; RFC 4180 quoting, CRLF line ends. */
export function renderCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  return writeCsv([
    columns.map((c) => c.name),
    ...rows.map((row) => columns.map((c) => csvText(c.value(row)))),
  ]);
}

function screenText(cell: Cell): string {
  if (cell === null || cell === '') return NONE;
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  return String(cell);
}

function csvText(cell: Cell): string | null {
  return cell === null ? null : String(cell);
}

/** An epoch-milliseconds time as ISO 8601 UTC to the second; null stays null. */
export function isoInstant(ms: number | null): string | null {
  return ms === null ? null : `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
