import type { ManagementLicense } from '../../adapters/management/page-walk.js';
import { COLUMNS, columnsOf, shownLicense, type Column } from './license-columns.js';

export type OutputFormat = 'table' | 'json' | 'csv';

/** Table widths are fixed: rows are printed as pages arrive, before the widest is known. */
const WIDTHS: Readonly<Record<Column, number>> = {
  id: 17,
  license_key: 22,
  product: 16,
  status: 9,
  enabled: 7,
  license_type: 12,
  validity_period: 15,
  customer: 28,
  devices: 7,
  updated_at: 20,
};

/**
 * Writes licences as they arrive, in one format, waiting for the stream to drain so that a slow
 * reader holds the listing back instead of filling memory.
 */
export class LicenseWriter {
  private started = false;
  private gone = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly format: OutputFormat,
    private readonly showKeys: boolean,
  ) {
    // `fleet licenses | head`: the reader left (EPIPE). The CLI already keeps that from crashing;
    // here it ends the listing, so no more pages are asked of the company's rate limit.
    const leave = () => {
      this.gone = true;
    };
    out.on('error', leave);
    out.on('close', leave);
  }

  /** False once nobody reads the output any more: the listing should stop. */
  get readerPresent(): boolean {
    return !this.gone && (this.out as { destroyed?: boolean }).destroyed !== true;
  }

  async write(licenses: readonly ManagementLicense[]): Promise<void> {
    let chunk = this.started ? '' : this.header();
    this.started = true;
    for (const l of licenses) chunk += this.line(l);
    if (chunk === '' || !this.readerPresent) return;
    if (!this.out.write(chunk)) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        for (const event of ['drain', 'close', 'error']) this.out.off(event, done);
        resolve();
      };
      for (const event of ['drain', 'close', 'error']) this.out.on(event, done);
    });
  }

  /** The header alone, when nothing was listed. */
  async finish(): Promise<void> {
    await this.write([]);
  }

  private header(): string {
    switch (this.format) {
      case 'json':
        return '';
      case 'csv':
        return `${COLUMNS.join(',')}\r\n`;
      case 'table':
        return `${COLUMNS.map((c) => cell(c.toUpperCase(), WIDTHS[c]))
          .join(' ')
          .trimEnd()}\n`;
      default: {
        const never: never = this.format;
        return never;
      }
    }
  }

  private line(l: ManagementLicense): string {
    switch (this.format) {
      case 'json':
        return `${JSON.stringify(shownLicense(l.json, this.showKeys))}\n`;
      case 'csv': {
        const values = columnsOf(l.json, this.showKeys);
        return `${COLUMNS.map((c) => csvField(values[c])).join(',')}\r\n`;
      }
      case 'table': {
        const values = columnsOf(l.json, this.showKeys);
        return `${COLUMNS.map((c) => cell(values[c] || '-', WIDTHS[c]))
          .join(' ')
          .trimEnd()}\n`;
      }
      default: {
        const never: never = this.format;
        return never;
      }
    }
  }
}

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** RFC 4180; a leading =, +, - or @ is quoted too, so a spreadsheet does not run it. */
function csvField(text: string): string {
  const formula = /^[=+\-@]/.test(text) && !/^-?\d/.test(text);
  if (!formula && !/[",\r\n]/.test(text)) return text;
  return `"${(formula ? `'${text}` : text).replaceAll('"', '""')}"`;
}
