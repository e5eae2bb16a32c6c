import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/adapters/lem/csv.js';
import { startLemSandbox, type LemSandbox } from '../../src/adapters/sandbox/lem/lem-sandbox.js';
import { LEM_REPORT_COLUMNS } from '../../src/domain/lem.js';
import { sandboxConfigYaml } from './cli-agent-config.js';
import { CLI } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-cli-lem-'));
const TOKEN = 'lem-e2e-token-5be0c7d2';

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The built CLI, run to its end without blocking this process: the LEM sandbox these tests start
 * answers from this process's event loop.
 */
function lem(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'lem', ...args], {
      env: { PATH: process.env['PATH'] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

function csvRows(text: string): readonly (readonly string[])[] {
  const read = readCsv(text);
  if (!read.ok) throw new Error(`not CSV: line ${read.line}: ${read.reason}\n${text}`);
  return read.rows;
}

describe('`lem` commands with lem.baseUrl: sandbox (no LEM account)', () => {
  const sandboxConfig = file(
    'sandbox.yaml',
    sandboxConfigYaml({ stateDirectory: join(dir, 'state'), lem: { baseUrl: 'sandbox' } }),
  );
  const upload = file('licences.csv', 'License key,SKU\nAAAA-BBBB-0001,litmusedge-scale-nl\n');
  const commands = {
    stats: ['stats'],
    skusCsv: ['skus', '--csv'],
    used: ['used'],
    features: ['features'],
    licenseFeaturesJson: ['license-features', '--json'],
    report: ['report'],
    upload: ['upload-csv', upload],
    email: ['report', '--email', 'ops@example.com', '--device', 'sandbox-device-002'],
  } as const;
  const runs = new Map<keyof typeof commands, Run>();

  // Each run starts its own HTTPS sandbox (a CA and a certificate made by openssl): two at a
  // time, on a machine whose cores are shared, then each test reads its result.
  beforeAll(async () => {
    const queue = Object.keys(commands) as (keyof typeof commands)[];
    const lane = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        runs.set(name, await lem([...commands[name], '--config', sandboxConfig]));
      }
    };
    await Promise.all([lane(), lane()]);
  }, 120_000);

  const ran = (name: keyof typeof commands): Run => {
    const run = runs.get(name);
    if (run === undefined) throw new Error(`${name} did not run`);
    expect(run.code, run.stderr).toBe(0);
    return run;
  };

  it('says on stderr that the built-in sandbox answers', () => {
    expect(ran('stats').stderr).toMatch(/warning: lem\.baseUrl is sandbox/);
  });

  it('`stats` prints a table of the pool by state', () => {
    expect(ran('stats').stdout).toBe('ACTIVE  USED  UNUSED  EXPIRED\n7       7     1       0\n');
  });

  it('`skus --csv` prints a header row and one row per SKU', () => {
    expect(csvRows(ran('skusCsv').stdout)).toEqual([
      ['licenseSku', 'count', 'isCore'],
      ['litmusedge-scale-nl', '6', 'true'],
      ['litmusedge-addon-ai', '2', 'false'],
    ]);
  });

  it('`used` shows every page: the seven devices over three pages, expiries as ISO dates', () => {
    const lines = ran('used').stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 7);
    expect(lines[0]).toMatch(/^DEVICE ID +FRIENDLY NAME +MAC +SKU +STATUS/);
    expect(lines[7]).toMatch(/^sandbox-device-006 .* \d{4}-\d\d-\d\dT23:59:59Z/);
    expect(ran('used').stdout).not.toMatch(/SBX\d/);
  });

  it("`features` lists the LEM server's features with whether each is enabled", () => {
    expect(ran('features').stdout).toMatch(/^DigitalTwin +EXPERIMENTAL +no +Asset Management$/m);
  });

  it('`license-features --json` parses, with each feature enabled or not and its expiry', () => {
    const features = JSON.parse(ran('licenseFeaturesJson').stdout) as {
      name: string;
      enabled: boolean;
      expiresAt: number | null;
    }[];
    expect(features.map((f) => [f.name, f.enabled])).toEqual([
      ['core', true],
      ['catalog', true],
      ['analytics', false],
    ]);
    expect(features.every((f) => typeof f.expiresAt === 'number')).toBe(true);
  });

  it("`report` prints CSV with the document's 13 columns in order, for every device", () => {
    const [header, ...rows] = csvRows(ran('report').stdout);
    expect(header).toEqual([...LEM_REPORT_COLUMNS]);
    expect(rows).toHaveLength(7);
    expect(rows.every((row) => row.length === 13)).toBe(true);
  });

  it('`upload-csv` and `report --email` print what LEM acknowledged', () => {
    expect(ran('upload').stdout).toMatch(
      /licences\.csv: uploaded to LEM project \S+ \(LEM acknowledged: S\)/,
    );
    expect(ran('email').stdout).toMatch(
      /the report of device sandbox-device-002 in project \S+ to ops@example\.com \(LEM acknowledged: S\)/,
    );
  });
});

describe('`lem` commands against a LEM with its own CA and token', () => {
  let sandbox: LemSandbox;
  const config = (name: string, token: string): string =>
    file(
      name,
      sandboxConfigYaml({
        stateDirectory: join(dir, 'state'),
        lem: {
          baseUrl: sandbox.url,
          projectId: sandbox.projectId,
          token: { file: file(`${name}.token`, `${token}\n`) },
          tls: { caFile: file('lem-ca.pem', sandbox.caPem) },
        },
      }),
    );

  beforeAll(async () => {
    sandbox = await startLemSandbox({ token: TOKEN, deviceMac: '52:54:00:12:34:56' });
  });
  afterAll(() => sandbox.close());

  it('reads the pool with the right token', async () => {
    const run = await lem(['stats', '--json', '--config', config('right.yaml', TOKEN)]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ used: 7 });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('prints the 401 advice and exits 77 on a wrong token, printing no token', async () => {
    const wrong = 'not-the-token-0c9a7e';
    const run = await lem(['used', '--config', config('wrong.yaml', wrong)]);
    expect(run.code).toBe(77);
    expect(run.stderr).toContain(
      'lem used: the LEM token is wrong or expired: manage tokens under System > Access Control > Tokens',
    );
    expect(run.stdout).toBe('');
    for (const token of [wrong, TOKEN]) expect(run.stdout + run.stderr).not.toContain(token);
  });

  it('sends no request for an invalid upload CSV, naming its line and column (exit 65)', async () => {
    const bad = file('bad.csv', 'License key,SKU\nAAAA-0001,litmusedge-scale-nl\nAAAA-0002\n');
    const before = sandbox.requests.length;
    const run = await lem(['upload-csv', bad, '--config', config('upload.yaml', TOKEN)]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(
      /bad\.csv line 3 column 2: 1 fields where the header has 2; nothing was sent/,
    );
    expect(sandbox.requests.slice(before)).toEqual([]);
    expect(sandbox.uploads).toEqual([]);
  });
});
