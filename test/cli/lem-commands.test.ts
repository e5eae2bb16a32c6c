import { mkdtempSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readCsv } from '../../src/adapters/lem/csv.js';
import { startLemSandbox, type LemSandbox } from '../../src/adapters/sandbox/lem/lem-sandbox.js';
import { runCli } from '../../src/cli/cli.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { LEM_REPORT_COLUMNS } from '../../src/domain/lem.js';
import { capturedIo } from './captured-io.js';

const TOKEN = 'lem-token-7f3a9c41e2';
const dir = mkdtempSync(join(tmpdir(), 'ela-lem-cli-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function cli(argv: string[]) {
  const io = capturedIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

let sandbox: LemSandbox;

/** A config whose `lem` section names the sandbox started here, as it would a real LEM. */
function lemConfig(name: string, lem: Record<string, unknown> = {}): string {
  return file(
    name,
    stringify({
      licensespring: { baseUrl: 'sandbox' },
      stateDirectory: join(dir, 'state'),
      lem: {
        baseUrl: sandbox.url,
        projectId: sandbox.projectId,
        token: { file: file('token', `${TOKEN}\n`) },
        tls: { caFile: file('lem-ca.pem', sandbox.caPem) },
        ...lem,
      },
    }),
  );
}

beforeAll(async () => {
  sandbox = await startLemSandbox({ token: TOKEN, deviceMac: '52:54:00:12:34:56' });
});
afterAll(() => sandbox.close());

describe('lem command lines refused before LEM is asked', () => {
  it.each([
    [['lem', 'stats', '--json', '--csv'], /--json and --csv exclude each other/],
    [['lem', 'report', '--email', 'ops@example.com', '--out', 'r.csv'], /--email and --out/],
    [['lem', 'report', '--email', 'ops'], /--email ops: not an e-mail address/],
    [['lem', 'report', '--device'], /--device needs a value \(ID\)/],
    [['lem', 'upload-csv'], /missing <file>/],
    [['lem', 'skus', 'extra'], /unexpected argument: extra/],
  ])('%j is a usage error (64) saying why', async (argv, why) => {
    const before = sandbox.requests.length;
    const { code, out, err } = await cli([...argv, '--config', join(dir, 'absent.yaml')]);
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(why);
    expect(out).toBe('');
    expect(sandbox.requests.length).toBe(before);
  });

  it('names the missing `lem` section of a config that has none, with exit 78', async () => {
    const config = file('no-lem.yaml', 'licensespring: { baseUrl: sandbox }\n');
    const { code, err } = await cli(['lem', 'stats', '--config', config]);
    expect(code).toBe(EXIT.config);
    expect(err).toMatch(/^edge-license-agent: invalid configuration: lem: is not set/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('says an upload file that cannot be read is not there (66)', async () => {
    const { code, err } = await cli(['lem', 'upload-csv', join(dir, 'missing.csv')]);
    expect(code).toBe(EXIT.noInput);
    expect(err).toMatch(/cannot read .*missing\.csv: ENOENT/);
  });
});

describe('lem commands against a LEM', () => {
  it('print the pool stats read with the configured token and CA', async () => {
    const { code, out } = await cli(['lem', 'stats', '--json', '--config', lemConfig('ok.yaml')]);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out)).toEqual({ active: 7, used: 7, unused: 1, expired: 0 });
  });

  it('gather every page of `used`', async () => {
    const config = lemConfig('used.yaml');
    const before = sandbox.requests.length;
    const { code, out } = await cli(['lem', 'used', '--config', config]);
    expect(code).toBe(EXIT.ok);
    expect(out).toContain('sandbox-device-000');
    expect(out).toContain('sandbox-device-006');
    const asked = sandbox.requests.slice(before).filter((r) => r.path.endsWith('/used'));
    expect(asked).toHaveLength(3);
  });

  it('end with 77 and the token advice on a wrong token, never printing either token', async () => {
    const wrong = 'wrong-token-d41d8cd9';
    const config = lemConfig('wrong-token.yaml', { token: { file: file('wrong', wrong) } });
    const { code, out, err } = await cli(['lem', 'skus', '--config', config]);
    expect(code).toBe(EXIT.noPermission);
    expect(err).toContain(
      'the LEM token is wrong or expired: manage tokens under System > Access Control > Tokens',
    );
    for (const token of [wrong, TOKEN]) expect(out + err).not.toContain(token);
  });

  it('end with 69 while LEM answers 503', async () => {
    sandbox.failWith(503);
    try {
      const { code, err } = await cli(['lem', 'features', '--config', lemConfig('down.yaml')]);
      expect(code).toBe(EXIT.unavailable);
      expect(err).toMatch(/LEM is unreachable or restarting \(HTTP 503\)/);
    } finally {
      sandbox.failWith(null);
    }
  });

  it("end with 78 when LEM's certificate is neither trusted nor pinned", async () => {
    const config = lemConfig('no-ca.yaml', { tls: {} });
    const { code, err } = await cli(['lem', 'license-features', '--config', config]);
    expect(code).toBe(EXIT.config);
    expect(err).toMatch(/certificate is not trusted .*give its CA file or pin its SHA-256/);
  });

  it('trusts a LEM pinned by its fingerprint instead of a CA', async () => {
    const config = lemConfig('pinned.yaml', { tls: { sha256Fingerprint: sandbox.fingerprint256 } });
    const { code } = await cli(['lem', 'stats', '--config', config]);
    expect(code).toBe(EXIT.ok);
  });

  it('send nothing for an upload CSV that fails the check, naming its line and column (65)', async () => {
    const before = sandbox.requests.length;
    const csv = file(
      'bad.csv',
      'License key,SKU\nAAAA-1,litmusedge-scale-nl\n,litmusedge-scale-nl\n',
    );
    const { code, out, err } = await cli([
      'lem',
      'upload-csv',
      csv,
      '--config',
      lemConfig('u.yaml'),
    ]);
    expect(code).toBe(EXIT.dataErr);
    expect(err).toMatch(/bad\.csv line 3 column 1: the licence key is empty; nothing was sent/);
    expect(out).toBe('');
    expect(sandbox.requests.length).toBe(before);
  });

  it("upload a good CSV as the multipart file part and print LEM's acknowledgement", async () => {
    const text = 'License key,SKU\r\nAAAA-1,litmusedge-scale-nl\r\n';
    const csv = file('good.csv', text);
    const { code, out } = await cli(['lem', 'upload-csv', csv, '--config', lemConfig('u2.yaml')]);
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/good\.csv: uploaded to LEM project \S+ \(LEM acknowledged: S\)/);
    expect(sandbox.uploads.at(-1)).toBe(text);
  });

  it('write the report of every device to --out atomically, readable by its owner only', async () => {
    const out = join(dir, 'reports', 'pool.csv');
    const result = await cli(['lem', 'report', '--out', out, '--config', lemConfig('r.yaml')]);
    expect(result.code).toBe(EXIT.ok);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['pool.csv']);
    const read = readCsv(readFileSync(out, 'utf8'));
    expect(read.ok && read.rows[0]).toEqual([...LEM_REPORT_COLUMNS]);
    expect(read.ok && read.rows.length).toBe(1 + 7);
  });

  it('report only the devices named, each --device once', async () => {
    const config = lemConfig('r2.yaml');
    const argv = [
      'lem',
      'report',
      '--device',
      'sandbox-device-001',
      '--device',
      'sandbox-device-004',
    ];
    const { code, out } = await cli([...argv, '--config', config]);
    expect(code).toBe(EXIT.ok);
    const read = readCsv(out);
    expect(read.ok && read.rows.slice(1).map((row) => row[1])).toEqual([
      'sandbox-device-001',
      'sandbox-device-004',
    ]);
  });

  it('end with 65 naming a device LEM does not know', async () => {
    const config = lemConfig('r3.yaml');
    const { code, err } = await cli(['lem', 'report', '--device', 'nope', '--config', config]);
    expect(code).toBe(EXIT.dataErr);
    expect(err).toMatch(/LEM does not know project \S+, device nope/);
  });

  it('end with 73 when --out cannot be written', async () => {
    const blocked = join(file('a-file', ''), 'pool.csv');
    const { code, err } = await cli([
      'lem',
      'report',
      '--out',
      blocked,
      '--config',
      lemConfig('r4.yaml'),
    ]);
    expect(code).toBe(EXIT.cannotCreate);
    expect(err).toMatch(/cannot write .*a-file\/pool\.csv: E[A-Z]+$/m);
  });

  it('have LEM e-mail the report to every --email address', async () => {
    const argv = ['lem', 'report', '--email', 'ops@example.com', '--email', 'audit@example.com'];
    const { code, out } = await cli([...argv, '--config', lemConfig('e.yaml')]);
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/to ops@example\.com, audit@example\.com \(LEM acknowledged: S\)/);
    expect(sandbox.emailed.at(-1)).toEqual(['ops@example.com', 'audit@example.com']);
  });
});
