import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/adapters/lem/csv.js';
import {
  parseLicenseFeatures,
  parsePoolStats,
  parseServerFeatures,
  parseSkus,
  parseUsedPage,
  type LemParse,
} from '../../src/adapters/lem/parse-lem-bodies.js';
import type { LemApi } from '../../src/agent/lem-ports.js';
import { LISTINGS } from '../../src/cli/lem/lem-listings.js';
import type { LemOutcome, LemUsedDevice } from '../../src/domain/lem.js';

function fixture<T>(name: string, parse: (body: unknown) => LemParse<T>): T {
  const body: unknown = JSON.parse(
    readFileSync(new URL(`../fixtures/lem/${name}`, import.meta.url), 'utf8'),
  );
  const parsed = parse(body);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.detail}`);
  return parsed.value;
}

const ok = <T>(value: T): Promise<LemOutcome<T>> => Promise.resolve({ kind: 'ok', value });
const unused = (): never => {
  throw new Error('not read by the listings');
};

const used = fixture('used-page.json', parseUsedPage).elements;
const [documented] = used;
if (documented === undefined) throw new Error('the used fixture has no device');
/** A second device holding no licence, and one whose friendly name needs CSV quoting. */
const devices: LemUsedDevice[] = [
  ...used,
  { ...documented, deviceId: 'bare', licenses: [] },
  { ...documented, deviceId: 'quoted', deviceFriendlyName: 'Line "A", hall 2' },
];

/** LEM as the document's examples answer it, plus the two devices above in `used`. */
const documentLem: LemApi = {
  poolStats: () => ok(fixture('pool-stats.json', parsePoolStats)),
  skus: () => ok(fixture('skus.json', parseSkus)),
  usedPage: unused,
  allUsed: () => ok(devices),
  serverFeatures: () => ok(fixture('server-features.json', parseServerFeatures)),
  licenseFeatures: () => ok(fixture('license-features.json', parseLicenseFeatures)),
  uploadCsv: unused,
  reportCsv: unused,
  emailReport: unused,
};

async function answer(name: keyof typeof LISTINGS) {
  const outcome = await LISTINGS[name](documentLem, new AbortController().signal);
  if (outcome.kind !== 'ok') throw new Error(`${name}: ${outcome.kind}`);
  return outcome.value;
}

function csvRows(text: string): readonly (readonly string[])[] {
  const read = readCsv(text);
  if (!read.ok) throw new Error(`not CSV: line ${read.line}: ${read.reason}`);
  return read.rows;
}

describe('lem listings', () => {
  it('show the pool stats as one line under its four states', async () => {
    const { table, csv, json } = await answer('stats');
    expect(table).toBe('ACTIVE  USED  UNUSED  EXPIRED\n1       1     0       0');
    expect(csvRows(csv)).toEqual([
      ['active', 'used', 'unused', 'expired'],
      ['1', '1', '0', '0'],
    ]);
    expect(json).toEqual({ active: 1, used: 1, unused: 0, expired: 0 });
  });

  it('say yes/no for flags on screen, and true/false in CSV', async () => {
    const { table, csv } = await answer('skus');
    expect(table.split('\n')).toEqual([
      'SKU                  COUNT  CORE',
      'litmusedge-scale-nl  1      yes',
    ]);
    expect(csvRows(csv)[1]).toEqual(['litmusedge-scale-nl', '1', 'true']);
  });

  it('show expiries as ISO 8601 instants in UTC in the table and the CSV, epoch ms in JSON', async () => {
    const { table, csv, json } = await answer('license-features');
    expect(table.split('\n')[1]).toMatch(/^core +yes +2025-09-02T00:00:00Z +unmetered +no +core$/);
    expect(csvRows(csv)[0]).toEqual([
      'name',
      'enabled',
      'expiresAt',
      'count',
      'limited',
      'description',
    ]);
    expect(csvRows(csv)[1]).toEqual([
      'core',
      'true',
      '2025-09-02T00:00:00Z',
      '-1',
      'false',
      'core',
    ]);
    expect((json as { expiresAt: number }[])[0]?.expiresAt).toBe(1756771200000);
  });

  it('keep licence keys off the screen but in the CSV and JSON of `used`', async () => {
    const { table, csv, json } = await answer('used');
    expect(table).not.toContain('0000-0000-0000-0000');
    expect(table.split('\n')[0]).not.toMatch(/KEY/);
    const [header, ...rows] = csvRows(csv);
    expect(header).toContain('licenseKey');
    expect(rows[0]?.[header?.indexOf('licenseKey') ?? -1]).toBe('0000-0000-0000-0000');
    expect(JSON.stringify(json)).toContain('0000-0000-0000-0000');
  });

  it('give a device that holds no licence its own line in `used`, with "-" for what it lacks', async () => {
    const { table, csv } = await answer('used');
    const bare = table.split('\n').find((line) => line.startsWith('bare '));
    expect(bare).toMatch(
      /^bare +API Portal \(00:50:56:b9:8e:b5\) +00:50:56:b9:8e:b5 +- +- +- +- +- +- +2026-08-08T23:59:59Z$/,
    );
    const [header, ...rows] = csvRows(csv);
    const row = rows.find((r) => r[0] === 'bare');
    expect(row?.[header?.indexOf('licenseSku') ?? -1]).toBe('');
  });

  it('quote a field holding a comma and quotes so the CSV reads back to the same value', async () => {
    const { csv } = await answer('used');
    const [header, ...rows] = csvRows(csv);
    const row = rows.find((r) => r[0] === 'quoted');
    expect(row?.[header?.indexOf('deviceFriendlyName') ?? -1]).toBe('Line "A", hall 2');
    expect(rows.every((r) => r.length === header?.length)).toBe(true);
  });

  it('say "(none)" under the header when LEM lists nothing', async () => {
    const outcome = await LISTINGS.skus(
      { ...documentLem, skus: () => ok([]) },
      new AbortController().signal,
    );
    expect(outcome.kind === 'ok' && outcome.value.table).toBe('SKU  COUNT  CORE\n(none)');
    expect(outcome.kind === 'ok' && outcome.value.csv).toBe('"licenseSku","count","isCore"\r\n');
  });

  it('pass a failed read on untouched', async () => {
    const refused: LemOutcome<never> = {
      kind: 'refused',
      status: 401,
      code: 'lem_token_rejected',
      message: 'the LEM token is wrong or expired',
    };
    const outcome = await LISTINGS.features(
      { ...documentLem, serverFeatures: () => Promise.resolve(refused) },
      new AbortController().signal,
    );
    expect(outcome).toEqual(refused);
  });
});
