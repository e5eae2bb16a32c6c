import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagementLicense } from '../../src/adapters/management/page-walk.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { runCli } from '../../src/cli/cli.js';
import { compareLicenses } from '../../src/cli/fleet/compare-command.js';
import type { LicenseAnswer } from '../../src/client/types.js';
import { START } from '../adapters/sandbox/sandbox-http.js';
import { tempDirs } from '../temp-dirs.js';
import { capturedIo } from './captured-io.js';

const tempDir = tempDirs('ela-fleet-');
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => START });
});
afterAll(async () => {
  await sandbox.close();
});

interface Setup {
  readonly apiKey?: string | null;
  readonly extra?: string;
}

/** A config naming the test's sandbox as the Management API, its key in a file. */
async function configFile(setup: Setup = {}): Promise<string> {
  const dir = await tempDir();
  const key = setup.apiKey === undefined ? sandbox.credentials.managementApiKey : setup.apiKey;
  if (key !== null) await writeFile(join(dir, 'management-key'), `${key}\n`);
  const file = join(dir, 'agent.yaml');
  await writeFile(
    file,
    [
      `stateDirectory: ${join(dir, 'state')}`,
      setup.extra ?? '',
      'licensespring:',
      '  baseUrl: sandbox',
      '  insecure: { allowPlainHttp: true }',
      '  management:',
      `    baseUrl: ${sandbox.managementUrl}`,
      key === null ? '' : '    apiKey: { file: management-key }',
    ].join('\n'),
  );
  return file;
}

const licenseRequests = () => sandbox.requests().filter((r) => r.path === '/api/v1/licenses/');

async function fleet(args: readonly string[], setup: Setup = {}, terminal = false) {
  const io = capturedIo({});
  if (terminal) Object.assign(io.stderr, { isTTY: true });
  const exit = await runCli(
    ['fleet', 'licenses', '--config', await configFile(setup), ...args],
    io,
  );
  return { exit, out: io.out(), err: io.err() };
}

describe('edge-license-agent fleet licenses', () => {
  it('streams every licence once as NDJSON, keys masked', async () => {
    const { exit, out } = await fleet(['--json']);
    expect(exit).toBe(0);
    const lines = out.trimEnd().split('\n');
    const licences = lines.map((l) => JSON.parse(l) as { id: number; license_key: string | null });
    expect(licences.map((l) => l.id)).toEqual([...sandbox.management.ids()].sort((a, b) => a - b));
    expect(licences[0]?.license_key).toBe('…0001');
    expect(out).not.toContain('SBOX-KEYB-ASED-0001');
  });

  it('shows progress on a terminal once more than one page is fetched, and clears it', async () => {
    const { err } = await fleet(['--json'], {}, true);
    expect(err).toContain(`page 2: 199 of ${sandbox.management.size} licences`);
    expect(err.endsWith('\r\x1b[K')).toBe(true);
    expect((await fleet(['--json'])).err).toBe('');
    expect((await fleet(['--json', '--limit', '50'], {}, true)).err).toBe('');
  });

  it('stops asking for pages once the reader has gone (| head)', async () => {
    const before = licenseRequests().length;
    const io = capturedIo({});
    const closedReader = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const exit = await runCli(['fleet', 'licenses', '--config', await configFile(), '--json'], {
      ...io,
      stdout: closedReader,
    });
    expect(exit).toBe(0);
    expect(io.err()).toBe('');
    expect(licenseRequests().length - before).toBe(1);
  });

  it('prints licence keys whole with --show-keys', async () => {
    const { out } = await fleet(['--json', '--show-keys', '--limit', '1']);
    expect(JSON.parse(out)).toMatchObject({ license_key: 'SBOX-KEYB-ASED-0001' });
  });

  it('writes CSV with a header line and the table columns', async () => {
    const { exit, out } = await fleet(['--csv', '--limit', '2']);
    expect(exit).toBe(0);
    expect(out.split('\r\n')).toEqual([
      'id,license_key,product,status,enabled,license_type,validity_period,customer,devices,updated_at',
      expect.stringMatching(/^1700000000000101,…0001,edge-suite,active,true,subscription,/),
      expect.stringMatching(/^1700000000000102,/),
      '',
    ]);
  });

  it('refuses an unknown filter field before any request, suggesting the closest', async () => {
    const before = licenseRequests().length;
    const { exit, err } = await fleet(['--filter', 'devices__hardwareid=abc']);
    expect(exit).toBe(64);
    expect(err).toContain('did you mean devices__hardware_id?');
    expect(licenseRequests().length).toBe(before);
  });

  it('sends repeated filters and the ordering exactly as given', async () => {
    const before = licenseRequests().length;
    const { exit } = await fleet([
      '--filter',
      'license_key__startswith=SBOX',
      '--filter',
      'is_trial=true',
      // A value starting with - needs the = form: alone it reads as a forgotten value.
      '--order-by=-validity_period',
    ]);
    expect(exit).toBe(0);
    expect(licenseRequests()[before]?.query).toMatchObject({
      license_key__startswith: 'SBOX',
      is_trial: 'true',
      order_by: '-validity_period',
      limit: '100',
      offset: '0',
    });
  });

  it("asks only for this device's licences with --this-device", async () => {
    const before = licenseRequests().length;
    const { exit, out } = await fleet(['--this-device', '--json'], {
      extra: 'device: { hardwareId: test-device-0042 }',
    });
    expect(exit).toBe(0);
    expect(licenseRequests()[before]?.query['devices__hardware_id']).toBe('test-device-0042');
    expect(out.trimEnd().split('\n')).toHaveLength(3);
  });

  it('names licensespring.management.apiKey when the key is refused, and never prints it', async () => {
    const { exit, out, err } = await fleet([], { apiKey: 'not-the-management-key-123' });
    expect(exit).toBe(78);
    expect(err).toContain('licensespring.management.apiKey');
    expect(out + err).not.toContain('not-the-management-key-123');
  });

  it('names licensespring.management.apiKey when no key is configured', async () => {
    const before = licenseRequests().length;
    const { exit, err } = await fleet([], { apiKey: null });
    expect(exit).toBe(78);
    expect(err).toContain('licensespring.management.apiKey');
    expect(licenseRequests().length).toBe(before);
  });
});

describe('comparing the server with the agent', () => {
  const server = (id: number, enabled = true): ManagementLicense => ({
    id,
    json: { id, enabled, status: enabled ? 'active' : 'disabled' },
  });
  const agent = (licenseId: number, allowed = true) =>
    ({ licenseId, allowed, state: allowed ? 'active' : 'denied' }) as unknown as LicenseAnswer;

  it('says where each licence is seen and where the two disagree', () => {
    expect(
      compareLicenses([server(1), server(2), server(4, false)], [agent(1), agent(3), agent(4)]).map(
        (c) => [c.licenseId, c.verdict],
      ),
    ).toEqual([
      [1, 'agree'],
      [2, 'only-server'],
      [3, 'only-agent'],
      [4, 'server-disabled'],
    ]);
  });
});
