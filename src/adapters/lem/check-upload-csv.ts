import { readCsv } from './csv.js';

export type UploadCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly line: number;
      readonly column: number;
      readonly message: string;
    };

/** An upload larger than this is not a licence list; LEM would refuse it after a long wait. */
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Checks a licence CSV before it is sent, so a typo is named on the operator's screen (line and
 * column) instead of coming back as a bare 400. The document does not give the upload's columns;
 * what is checked is what any licence import needs: a header naming a `License key` column, the
 * same number of fields on every line, and no empty licence key.
 */
export function checkUploadCsv(csv: string): UploadCheck {
  if (Buffer.byteLength(csv) > MAX_UPLOAD_BYTES) {
    return { ok: false, line: 0, column: 0, message: 'the file is larger than 5 MiB' };
  }
  const read = readCsv(csv.startsWith('\uFEFF') ? csv.slice(1) : csv);
  if (!read.ok) {
    return { ok: false, line: read.line, column: read.column, message: read.reason };
  }
  const [header, ...rows] = read.rows;
  if (header === undefined) return { ok: false, line: 1, column: 0, message: 'the file is empty' };
  const names = header.map((name) => name.trim().toLowerCase());
  const emptyHeader = names.findIndex((name) => name === '');
  if (emptyHeader >= 0) {
    return { ok: false, line: 1, column: emptyHeader + 1, message: 'a column has no name' };
  }
  const keyColumn = names.indexOf('license key');
  if (keyColumn < 0) {
    return { ok: false, line: 1, column: 0, message: 'no "License key" column in the header' };
  }
  if (rows.length === 0) return { ok: false, line: 2, column: 0, message: 'no licence lines' };
  for (const [index, row] of rows.entries()) {
    const line = index + 2;
    if (row.length !== header.length) {
      const column = Math.min(row.length, header.length) + 1;
      const message = `${row.length} fields where the header has ${header.length}`;
      return { ok: false, line, column, message };
    }
    if ((row[keyColumn] ?? '').trim() === '') {
      return { ok: false, line, column: keyColumn + 1, message: 'the licence key is empty' };
    }
  }
  return { ok: true };
}
