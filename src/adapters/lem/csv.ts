/**
 * The small CSV dialect LEM speaks (RFC 4180): comma-separated, fields optionally in double
 * quotes, `""` for a quote inside one, CRLF or LF line ends. Written here rather than taken from
 * a package because the report and the upload file are all it has to read.
 */

export type CsvRead =
  | { readonly ok: true; readonly rows: readonly (readonly string[])[] }
  | { readonly ok: false; readonly line: number; readonly column: number; readonly reason: string };

/** Rows of fields; a trailing empty line is not a row. Line and column are 1-based. */
export function readCsv(text: string): CsvRead {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let rowLine = 1;
  const endField = (): void => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          return { ok: false, line, column: row.length + 1, reason: 'text after a closing quote' };
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (fieldStarted || field !== '') {
        return {
          ok: false,
          line,
          column: row.length + 1,
          reason: 'a quote inside an unquoted field',
        };
      }
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
      line++;
      rowLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted)
    return { ok: false, line: rowLine, column: row.length + 1, reason: 'a quote never closed' };
  if (fieldStarted || field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return { ok: true, rows };
}

/** Every field quoted, as LEM writes its report; an empty field stays bare (LEM's "no value"). */
export function writeCsv(rows: readonly (readonly (string | null)[])[]): string {
  return rows
    .map((row) =>
      row.map((f) => (f === null || f === '' ? '' : `"${f.replaceAll('"', '""')}"`)).join(','),
    )
    .join('\r\n')
    .concat('\r\n');
}
