import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkUploadCsv } from '../../../src/adapters/lem/check-upload-csv.js';
import { readCsv, writeCsv } from '../../../src/adapters/lem/csv.js';
import { LEM_REPORT_COLUMNS } from '../../../src/domain/lem.js';

const reportFixture = readFileSync(
  new URL('../../fixtures/lem/report.csv', import.meta.url),
  'utf8',
);

describe('the CSV reader', () => {
  it("reads the document's report with its 13 columns and the empty activation date", () => {
    const read = readCsv(reportFixture);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.rows).toHaveLength(2);
    expect(read.rows[0]).toEqual([...LEM_REPORT_COLUMNS]);
    expect(read.rows[1]).toHaveLength(13);
    expect(read.rows[1]?.[4]).toBe('00:50:56:b9:8e:b5');
    expect(read.rows[1]?.[7]).toBe('');
    expect(read.rows[1]?.[12]).toBe('OK');
  });

  it('reads quotes, commas and line breaks inside quoted fields', () => {
    expect(readCsv('a,"b,""c""",d\r\n"x\ny",,z')).toEqual({
      ok: true,
      rows: [
        ['a', 'b,"c"', 'd'],
        ['x\ny', '', 'z'],
      ],
    });
  });

  it('names the line and column of a quote never closed', () => {
    expect(readCsv('a,b\nc,"d\n')).toMatchObject({ ok: false, line: 2, column: 2 });
  });

  it('gives back what the writer wrote', () => {
    const rows = [
      ['Project ID', 'Device friendly name'],
      ['p1', 'Line "A", hall 2'],
    ];
    expect(readCsv(writeCsv(rows))).toEqual({ ok: true, rows });
  });
});

describe('the upload check', () => {
  it('accepts a header with a licence key column and full lines', () => {
    expect(checkUploadCsv('License key,SKU\nAAAA-BBBB,litmusedge-scale-nl\n')).toEqual({
      ok: true,
    });
  });

  it('names the line and column of a missing licence key', () => {
    expect(checkUploadCsv('SKU,License key\nsku-a,K1\nsku-b,\n')).toMatchObject({
      ok: false,
      line: 3,
      column: 2,
    });
  });

  it('names the line with a field too many', () => {
    expect(checkUploadCsv('License key,SKU\nK1,a\nK2,b,c\n')).toMatchObject({
      ok: false,
      line: 3,
      column: 3,
    });
  });

  it('refuses a file with no licence key column, an empty file and a header alone', () => {
    expect(checkUploadCsv('Key,SKU\nK1,a\n')).toMatchObject({ ok: false, line: 1 });
    expect(checkUploadCsv('')).toMatchObject({ ok: false, line: 1 });
    expect(checkUploadCsv('License key\n')).toMatchObject({ ok: false, line: 2 });
  });
});
