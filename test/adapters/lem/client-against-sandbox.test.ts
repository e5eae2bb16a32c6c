import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../../src/adapters/lem/csv.js';
import { createLemClient } from '../../../src/adapters/lem/lem-client.js';
import type { LemAuthStyle } from '../../../src/adapters/lem/lem-auth.js';
import { PINNED_CERTIFICATE_MISMATCH } from '../../../src/adapters/http-client/transport-error.js';
import { lemDispatcher, type LemTls } from '../../../src/adapters/lem/lem-tls.js';
import { startLemSandbox, type LemSandbox } from '../../../src/adapters/sandbox/lem/lem-sandbox.js';
import type { LemApi } from '../../../src/agent/lem-ports.js';
import { LEM_REPORT_COLUMNS, type LemOutcome } from '../../../src/domain/lem.js';

const TOKEN = 'lem-token-7f3a9c1e5b';
const MAC = '00:50:56:b9:8e:b5';
const signal = new AbortController().signal;

let sandbox: LemSandbox;
/** Every outcome any test saw, to check at the end that none carries the token. */
const seen: LemOutcome<unknown>[] = [];

beforeAll(async () => {
  // 8 devices over pages of 3: three pages, the last one short.
  sandbox = await startLemSandbox({ token: TOKEN, deviceMac: MAC, deviceCount: 8, pageSize: 3 });
});

afterAll(async () => {
  await sandbox.close();
});

function client(
  tls: LemTls,
  overrides: { token?: string; authStyle?: LemAuthStyle; projectId?: string } = {},
): LemApi {
  const api = createLemClient({
    baseUrl: sandbox.url,
    projectId: overrides.projectId ?? sandbox.projectId,
    token: overrides.token ?? TOKEN,
    authStyle: overrides.authStyle ?? 'basic',
    dispatcher: lemDispatcher(tls),
    timeoutMs: 5_000,
  });
  // Record every outcome as it passes.
  return new Proxy(api, {
    get(target, key) {
      const method = Reflect.get(target, key) as (
        ...args: unknown[]
      ) => Promise<LemOutcome<unknown>>;
      return async (...args: unknown[]) => {
        const outcome = await method.apply(target, args);
        seen.push(outcome);
        return outcome;
      };
    },
  });
}

const withCa = (): LemTls => ({ kind: 'ca', caPem: sandbox.caPem });
const requestsTo = (path: string): number => sandbox.requests.filter((r) => r.path === path).length;

describe('TLS to a self-signed LEM', () => {
  it('works with the CA file', async () => {
    const stats = await client(withCa()).poolStats(signal);
    expect(stats).toEqual({ kind: 'ok', value: { active: 8, used: 8, unused: 1, expired: 0 } });
  });

  it('works with the pinned fingerprint, written with or without colons', async () => {
    for (const sha256 of [
      sandbox.fingerprint256,
      sandbox.fingerprint256.replaceAll(':', '').toLowerCase(),
    ]) {
      const skus = await client({ kind: 'fingerprint', sha256 }).skus(signal);
      expect(skus.kind).toBe('ok');
    }
  });

  it('fails with a TLS error, its code kept, when the certificate is neither trusted nor pinned', async () => {
    const before = sandbox.requests.length;
    const outcome = await client({ kind: 'system' }).poolStats(signal);
    expect(outcome).toMatchObject({ kind: 'unreachable', cause: 'tls' });
    if (outcome.kind !== 'unreachable') return;
    expect(outcome.transportCode).toMatch(/CERT|SIGNATURE/);
    expect(outcome.message).toContain('CA file');
    expect(outcome.message).toContain(outcome.transportCode);
    expect(sandbox.requests.length).toBe(before);
  });

  it('refuses a certificate whose fingerprint is not the pinned one, before sending anything', async () => {
    const before = sandbox.requests.length;
    const outcome = await client({ kind: 'fingerprint', sha256: 'AB'.repeat(32) }).poolStats(
      signal,
    );
    expect(outcome).toMatchObject({
      kind: 'unreachable',
      cause: 'tls',
      transportCode: PINNED_CERTIFICATE_MISMATCH,
    });
    expect(sandbox.requests.length).toBe(before);
  });

  it('connects without verification only when asked to', async () => {
    expect((await client({ kind: 'insecure' }).skus(signal)).kind).toBe('ok');
  });
});

describe('the LEM token', () => {
  it('is accepted in the X-AuthToken header as well as in Basic auth', async () => {
    const outcome = await client(withCa(), { authStyle: 'header' }).serverFeatures(signal);
    expect(outcome.kind).toBe('ok');
  });

  it.each<LemAuthStyle>(['basic', 'header'])(
    'when wrong (%s), gives the 401 message that says where tokens are managed',
    async (authStyle) => {
      const outcome = await client(withCa(), { token: 'not-the-token', authStyle }).poolStats(
        signal,
      );
      expect(outcome).toEqual({
        kind: 'refused',
        status: 401,
        code: 'lem_token_rejected',
        message:
          'the LEM token is wrong or expired: manage tokens under System > Access Control > Tokens',
      });
    },
  );
});

describe('the LEM pool', () => {
  it('pages through used over every page and finds the licence bound to this MAC', async () => {
    const before = requestsTo('/api/v1/device-license-pool/used');
    const outcome = await client(withCa()).allUsed(signal);
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(requestsTo('/api/v1/device-license-pool/used') - before).toBe(3);
    expect(outcome.value).toHaveLength(8);
    expect(new Set(outcome.value.map((d) => d.deviceId)).size).toBe(8);
    const mine = outcome.value.filter((d) => d.macAddress === MAC);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.licenses[0]).toMatchObject({ licenseSku: 'litmusedge-scale-nl', isCore: true });
  });

  it('reads both feature catalogues', async () => {
    const api = client(withCa());
    const server = await api.serverFeatures(signal);
    const licence = await api.licenseFeatures(signal);
    expect(server.kind === 'ok' && server.value.map((f) => f.name)).toContain('RemoteUI');
    expect(licence.kind === 'ok' && licence.value.find((f) => f.name === 'catalog')).toMatchObject({
      enabled: true,
      expiresAt: 1786233599000,
    });
  });

  it('names the project ID when LEM does not know it', async () => {
    const outcome = await client(withCa(), { projectId: 'no-such-project' }).skus(signal);
    expect(outcome).toMatchObject({ kind: 'refused', status: 404, code: 'lem_not_found' });
    expect(outcome.kind === 'refused' && outcome.message).toContain('project no-such-project');
  });

  it('says LEM is unreachable or restarting on a 5xx', async () => {
    sandbox.failWith(503);
    try {
      const outcome = await client(withCa()).poolStats(signal);
      expect(outcome).toMatchObject({ kind: 'unreachable', cause: 'server_error', status: 503 });
      expect(outcome.kind === 'unreachable' && outcome.message).toContain(
        'LEM is unreachable or restarting',
      );
    } finally {
      sandbox.failWith(null);
    }
  });

  it('says the token lacks permission on a 403', async () => {
    sandbox.failWith(403);
    try {
      const outcome = await client(withCa()).skus(signal);
      expect(outcome).toMatchObject({ kind: 'refused', code: 'lem_permission_denied' });
      expect(outcome.kind === 'refused' && outcome.message).toContain(
        'the token lacks this permission',
      );
    } finally {
      sandbox.failWith(null);
    }
  });
});

describe('LEM reports and uploads', () => {
  it('the CSV report of every device round-trips through the CSV reader with the 13 columns', async () => {
    const outcome = await client(withCa()).reportCsv([], signal);
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    const read = readCsv(outcome.value);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const [header, ...rows] = read.rows;
    expect(header).toEqual([...LEM_REPORT_COLUMNS]);
    expect(rows).toHaveLength(8);
    expect(rows.every((row) => row.length === 13)).toBe(true);
    expect(rows.find((row) => row[4] === MAC)?.[6]).toBe('litmusedge-scale-nl');
  });

  it('reports only the devices named, and names a device LEM does not know', async () => {
    const api = client(withCa());
    const one = await api.reportCsv(['sandbox-device-001'], signal);
    const rows = one.kind === 'ok' && readCsv(one.value);
    expect(rows && rows.ok && rows.rows.length).toBe(2);
    const unknown = await api.reportCsv(['ghost-device'], signal);
    expect(unknown).toMatchObject({ kind: 'refused', status: 404 });
    expect(unknown.kind === 'refused' && unknown.message).toContain('ghost-device');
  });

  it('sends the e-mailed report to the addresses given', async () => {
    const outcome = await client(withCa()).emailReport([], ['ops@example.com'], signal);
    expect(outcome).toEqual({ kind: 'ok', value: { code: 'S', message: null } });
    expect(sandbox.emailed.at(-1)).toEqual(['ops@example.com']);
  });

  it('uploads a valid CSV as the multipart file part', async () => {
    const csv = 'License key,SKU\r\nAAAA-BBBB-CCCC-DDDD,litmusedge-scale-nl\r\n';
    const outcome = await client(withCa()).uploadCsv('pool.csv', csv, signal);
    expect(outcome).toEqual({ kind: 'ok', value: { code: 'S', message: null } });
    expect(sandbox.uploads.at(-1)).toBe(csv);
  });

  it('sends no request for an invalid upload CSV and names the bad line and column', async () => {
    const before = sandbox.requests.length;
    const outcome = await client(withCa()).uploadCsv(
      'pool.csv',
      'License key,SKU\nK1,a\n,b\n',
      signal,
    );
    expect(outcome).toMatchObject({
      kind: 'invalid-input',
      code: 'lem_csv_invalid',
      line: 3,
      column: 1,
    });
    expect(outcome.kind === 'invalid-input' && outcome.message).toContain(
      'pool.csv line 3 column 1',
    );
    expect(sandbox.requests.length).toBe(before);
  });
});

describe('secrecy', () => {
  it('no outcome seen in these tests carries the token, plainly or in Basic form', () => {
    expect(seen.length).toBeGreaterThan(15);
    expect(seen.some((o) => o.kind !== 'ok')).toBe(true);
    const text = JSON.stringify(seen);
    for (const secret of [TOKEN, Buffer.from(`${TOKEN}:`).toString('base64'), 'not-the-token']) {
      expect(text).not.toContain(secret);
    }
  });
});
