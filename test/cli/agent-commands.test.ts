import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { EXIT, EXIT_FOR_CLIENT_ERROR } from '../../src/cli/exit-codes.js';
import type { AgentClientErrorCode } from '../../src/client/index.js';
import {
  answer,
  featureBody,
  featureRoute,
  freePort,
  json,
  startFakeAgent,
  type FakeAgent,
  type Handler,
} from '../client/servers.js';
import { tempDirs } from '../temp-dirs.js';
import { capturedIo } from './captured-io.js';

const tempDir = tempDirs('ela-cli-commands-', 'all');

let fake: FakeAgent;
beforeAll(async () => {
  fake = await startFakeAgent(featureRoute(() => true));
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.handle = featureRoute(() => true);
  fake.authorizations.length = 0;
});

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = capturedIo(env);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const report = { result: 'ok', finishedAt: '2026-03-01T10:00:00.000Z', deviceLicenses: 'genuine' };

/** A status exactly as the agent presents one, ready or not. */
function statusBody(ready: boolean) {
  const decision = {
    allowed: ready,
    state: ready ? 'active' : 'unknown',
    reason: ready ? 'licensed' : 'no_genuine_answer',
    expiresAt: null,
    graceEndsAt: null,
    lastVerifiedAt: null,
  };
  return {
    version: '0.1.0',
    ready,
    device: {
      hardwareId: 'fake-device',
      source: 'override',
      changedComponents: [],
      machine: { kind: 'container', basis: ['/.dockerenv'], overridden: false },
      ...decision,
    },
    upstream: { kind: 'sandbox', baseUrl: 'http://127.0.0.1:1/api/v4/' },
    sync: {
      schedule: null,
      splaySeconds: 12,
      next: { at: '2026-03-01T13:00:00.000Z', reason: 'steady', boundary: null },
      running: false,
      last: null,
    },
    offline: {
      failing: !ready,
      lastFailure: ready ? null : 'unreachable: ECONNREFUSED',
      lastGenuineAt: null,
      graceEndsAt: null,
      graceRemainingSeconds: null,
      clockRollbacks: 0,
      clockBehindSeconds: null,
      serverSkewSeconds: null,
    },
    stateFile: 'absent',
    decidedAt: null,
    licenses: [],
    features: [featureBody('reporting', ready)],
  };
}

describe('check', () => {
  it('exits 0 for an allowed feature and 1 for a denied one, printing the decision', async () => {
    fake.handle = featureRoute((code) => code === 'reporting');
    const allowed = await cli(['check', 'reporting', '--url', fake.url]);
    expect(allowed).toMatchObject({ code: EXIT.ok, err: '' });
    expect(allowed.out).toBe('reporting: allowed (active, licensed)\n');
    const denied = await cli(['check', 'analytics', '--url', fake.url, '--json']);
    expect(denied.code).toBe(EXIT.no);
    expect(JSON.parse(denied.out)).toMatchObject({ code: 'analytics', allowed: false });
  });

  it('exits 2 naming the URL when nothing listens there', async () => {
    const url = `http://127.0.0.1:${String(await freePort())}`;
    const { code, err } = await cli(['check', 'reporting'], { ELA_URL: url });
    expect(code).toBe(EXIT.error);
    expect(err).toBe(
      `edge-license-agent: cannot reach the agent at ${url}: connection refused. Is it running (systemctl status edge-license-agent)? Elsewhere: --url or --socket\n`,
    );
  });

  it('exits 2 naming the socket when there is none at the path', async () => {
    const socket = join(await tempDir(), 'none.sock');
    const { code, err } = await cli(['check', 'reporting', '--socket', socket]);
    expect(code).toBe(EXIT.error);
    expect(err).toContain(`cannot reach the agent at unix:${socket}: no such socket`);
  });
});

describe('a token the agent wants', () => {
  const requireToken: Handler = (req, res) => {
    if (req.headers.authorization === 'Bearer s3cret')
      json(res, 200, featureBody('reporting', true));
    else json(res, 401, { error: { code: 'unauthorized', message: 'a bearer token is required' } });
  };

  it('is sent from --token-file', async () => {
    fake.handle = requireToken;
    const file = join(await tempDir(), 'token');
    await writeFile(file, 's3cret\n');
    expect((await cli(['check', 'reporting', '--url', fake.url, '--token-file', file])).code).toBe(
      EXIT.ok,
    );
    expect(fake.authorizations).toEqual(['Bearer s3cret']);
  });

  it('when missing, is asked for in one line saying how to give it, exit 2', async () => {
    fake.handle = requireToken;
    const { code, err } = await cli(['status', '--url', fake.url]);
    expect(code).toBe(EXIT.error);
    expect(err).toBe(
      `edge-license-agent: the agent at ${fake.url} wants a token: --token-file FILE (or $ELA_TOKEN_FILE) with its http.token\n`,
    );
  });

  it('when wrong, is named by its file, exit 2', async () => {
    fake.handle = requireToken;
    const file = join(await tempDir(), 'wrong-token');
    await writeFile(file, 'guess');
    const { code, err } = await cli(['refresh', '--url', fake.url], { ELA_TOKEN_FILE: file });
    expect(code).toBe(EXIT.error);
    expect(err).toContain(`did not accept the token in ${file}`);
  });

  it('from a file that cannot be read is a configuration error, exit 78, before asking', async () => {
    const { code, err } = await cli([
      'check',
      'reporting',
      '--url',
      fake.url,
      '--token-file',
      '/nonexistent/token',
    ]);
    expect(code).toBe(EXIT.config);
    expect(err).toBe('edge-license-agent: cannot read the token file /nonexistent/token: ENOENT\n');
    expect(fake.authorizations).toEqual([]);
  });
});

describe('something that is not the agent', () => {
  it('is exit 2, saying the address may be wrong', async () => {
    fake.handle = answer(200, '<html>hello</html>');
    const { code, err } = await cli(['check', 'reporting', '--url', fake.url]);
    expect(code).toBe(EXIT.error);
    expect(err).toContain(`${fake.url} answered, but not as the licence agent does`);
  });
});

describe('status', () => {
  it('exits 0 when the agent is ready and 1 when it answers but is not ready', async () => {
    fake.handle = answer(200, statusBody(true));
    const ready = await cli(['status', '--url', fake.url]);
    expect(ready.code).toBe(EXIT.ok);
    expect(ready.out).toMatch(/^edge-license-agent 0\.1\.0 +ready$/m);
    fake.handle = answer(200, statusBody(false));
    const notReady = await cli(['status', '--url', fake.url]);
    expect(notReady.code).toBe(EXIT.no);
    expect(notReady.out).toMatch(/NOT READY/);
    expect((await cli(['status', '--url', fake.url, '--json'])).code).toBe(EXIT.no);
  });
});

describe('refresh', () => {
  it('prints the report and exits 0 when the sync was ok', async () => {
    fake.handle = answer(200, report);
    const { code, out } = await cli(['refresh', '--url', fake.url]);
    expect(code).toBe(EXIT.ok);
    expect(out).toBe('sync ok at 2026-03-01T10:00:00.000Z (device_licenses: genuine)\n');
  });

  it.each([
    ['partial', 200, { ...report, result: 'partial' }],
    [
      'failed',
      502,
      {
        error: { code: 'sync_failed', message: 'the sync failed: timeout' },
        ...report,
        result: 'failed',
        deviceLicenses: 'timeout',
      },
    ],
  ])('exits 1 when the sync finished %s, and prints its report', async (result, status, body) => {
    fake.handle = answer(status, body);
    const { code, out } = await cli(['refresh', '--url', fake.url]);
    expect(code).toBe(EXIT.no);
    expect(out).toMatch(new RegExp(`^sync ${result} at `));
  });

  it('says clearly that the agent turned it away for now, and when to try again, exit 2', async () => {
    fake.handle = (_req, res) => {
      res.setHeader('retry-after', '7');
      json(res, 429, {
        error: { code: 'rate_limited', message: 'a refresh was asked for just now' },
      });
    };
    const { code, out, err } = await cli(['refresh', '--url', fake.url]);
    expect(code).toBe(EXIT.error);
    expect(out).toBe('');
    expect(err).toBe(
      `edge-license-agent: the agent at ${fake.url} refused the refresh (HTTP 429 rate_limited): it synced moments ago; try again in 7 s\n`,
    );
  });
});

describe('the exit code table', () => {
  it('ends every client error in 2: no answer could be had', () => {
    const codes: AgentClientErrorCode[] = [
      'agent_unavailable',
      'unauthorized',
      'bad_answer',
      'agent_error',
      'client_closed',
    ];
    expect(Object.keys(EXIT_FOR_CLIENT_ERROR).sort()).toEqual([...codes].sort());
    for (const code of codes) expect(EXIT_FOR_CLIENT_ERROR[code]).toBe(EXIT.error);
  });
});
