// 10,000 malformed requests against the running agent, valid questions asked in between.
// The requests come from a seeded PRNG; FUZZ_SEED=<n> replays another set (not ELA_*: those are
// the agent's config overrides). A failure names the request by seed and number.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { Client, Pool, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startCli, waitReady, type RunningCli } from './cli-process.js';
import {
  describeCase,
  malformedRequests,
  SLOW_REQUEST,
  VALID_PATH,
  type FuzzCase,
  type RawCase,
  type WellFormedCase,
} from './malformed-requests.js';
import { exchange, trickle, type Endpoint, type RawResponse } from './raw-http.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_123);
const TOTAL = 10_000;
const SLOW_SENDERS = 40;
const IN_FLIGHT = 50;
const VALID_EVERY = 200;
/** A request the server neither answers nor closes within this has hung it. */
const HANG_MS = 10_000;
/** The server's headersTimeout (5 s), plus its timeout sweep and a loaded machine. */
const SLOW_CUTOFF_MS = 9_000;
const RSS_SLACK_BYTES = 100 * 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'ela-fuzz-'));
const unixPath = join(dir, 'agent.sock');
let agent: RunningCli;
let base: string;
let tcp: Endpoint;
const unix: Endpoint = { path: unixPath };

/** `what` is short and stable, to group by; `detail` names the request and the answer. */
interface Problem {
  readonly what: string;
  readonly detail: string;
}

interface Run {
  readonly violations: Problem[];
  readonly validAnswers: { ok: number; wrong: string[]; worstMs: number };
  readonly slow: { cutOffMs: number[]; problems: Problem[] };
  readonly byKind: Map<string, { count: number; silent: number; statuses: Map<string, number> }>;
  readonly seconds: number;
  readonly rssBefore: number;
  readonly rssAfter: number;
}
let run: Run;

beforeAll(async () => {
  if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer: ${SEED}`);
  writeFileSync(
    join(dir, 'agent.yaml'),
    [
      'device: { hardwareId: fuzz-device }',
      'stateDirectory: state',
      'licensespring: { baseUrl: sandbox }',
      'http: { port: 0, socket: { path: agent.sock } }',
      // info: the `agent started` line carries the URL; nothing is logged per request.
      'log: { level: info }',
    ].join('\n'),
  );
  agent = startCli(['run', '--config', join(dir, 'agent.yaml')]);
  base = await agent.url();
  tcp = { port: Number(new URL(base).port) };
  await waitReady(base);
  run = await fuzz();
}, 120_000);

afterAll(async () => {
  await agent.stop();
});

async function fuzz(): Promise<Run> {
  const cases = malformedRequests(SEED, TOTAL - SLOW_SENDERS);
  const pools = {
    tcp: new Pool(base, { connections: IN_FLIGHT }),
    unix: new Pool('http://localhost', {
      connect: { socketPath: unixPath },
      connections: IN_FLIGHT,
    }),
  };
  const probes = {
    tcp: new Client(base),
    unix: new Client('http://localhost', { connect: { socketPath: unixPath } }),
  };
  const violations: Problem[] = [];
  const validAnswers = { ok: 0, wrong: [] as string[], worstMs: 0 };
  const byKind: Run['byKind'] = new Map();

  const askValid = async (unixSocket: boolean, when: string) => {
    const started = performance.now();
    const problem = await validQuestion(unixSocket ? probes.unix : probes.tcp);
    validAnswers.worstMs = Math.max(validAnswers.worstMs, performance.now() - started);
    if (problem === null) validAnswers.ok++;
    else validAnswers.wrong.push(`${when} [${unixSocket ? 'unix' : 'tcp'}]: ${problem}`);
  };
  await askValid(false, 'before');
  const rssBefore = rss();
  const started = performance.now();

  const slow = runSlowSenders();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      if (i % VALID_EVERY === 0) await askValid(i % (2 * VALID_EVERY) !== 0, `after #${i}`);
      const c = cases[i]!;
      const outcome = c.via === 'raw' ? await sendRaw(c) : await sendWellFormed(c, pools);
      const stats = byKind.get(c.kind) ?? {
        count: 0,
        silent: 0,
        statuses: new Map<string, number>(),
      };
      stats.count++;
      if (outcome.statuses.length === 0) stats.silent++;
      for (const status of outcome.statuses)
        stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
      byKind.set(c.kind, stats);
      for (const { what, detail } of outcome.problems)
        violations.push({
          what: `${c.kind}: ${what}`,
          detail: `seed ${SEED} ${describeCase(c)}\n    -> ${detail}`,
        });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const slowResult = await slow;
  await askValid(false, 'after');
  await askValid(true, 'after');
  const seconds = (performance.now() - started) / 1000;
  const rssAfter = rss();
  await Promise.all([...Object.values(pools), ...Object.values(probes)].map((d) => d.close()));
  return { violations, validAnswers, slow: slowResult, byKind, seconds, rssBefore, rssAfter };
}

/** The question the fuzz must never disturb: `GET /v1/features/reporting`, licensed. */
async function validQuestion(client: Dispatcher): Promise<string | null> {
  try {
    const response = await client.request({
      method: 'GET',
      path: VALID_PATH,
      headersTimeout: HANG_MS,
      bodyTimeout: HANG_MS,
    });
    const text = await response.body.text();
    return validAnswerProblem(response.statusCode, String(response.headers['content-type']), text);
  } catch (error) {
    return `no answer: ${String(error)}`;
  }
}

function validAnswerProblem(status: number, contentType: string, text: string): string | null {
  const body = parseJson(text);
  if (status !== 200 || !contentType.startsWith('application/json') || body === undefined)
    return `answered ${status} ${contentType}: ${text.slice(0, 200)}`;
  if (body?.code !== 'reporting' || body?.allowed !== true)
    return `answered wrongly: ${text.slice(0, 200)}`;
  return null;
}

interface Outcome {
  readonly statuses: string[];
  readonly problems: Problem[];
}

const problem = (what: string, detail = what): Problem => ({ what, detail });

async function sendRaw(c: RawCase): Promise<Outcome> {
  const result = await exchange(c.unix ? unix : tcp, c.bytes, {
    finish: c.finish,
    timeoutMs: HANG_MS,
  });
  const statuses = result.responses.map((r) => String(r.status));
  if (c.finish === 'reset') return { statuses, problems: [] };
  const problems: Problem[] = [];
  if (result.end === 'timeout')
    problems.push(problem(`neither answered nor closed within ${HANG_MS} ms (hung)`));
  const valid = result.responses.slice(0, c.expect.validFirst);
  valid.forEach((response, n) => {
    const wrong = validAnswerProblem(
      response.status,
      response.headers['content-type'] ?? '',
      response.body.toString('utf8'),
    );
    if (wrong !== null)
      problems.push(
        problem(
          'a valid request before the junk answered wrongly',
          `valid request ${n + 1}: ${wrong}`,
        ),
      );
  });
  if (valid.length < c.expect.validFirst)
    problems.push(
      problem(
        'valid requests before the junk left unanswered',
        `${c.expect.validFirst} valid requests first, ${valid.length} answered`,
      ),
    );
  const rest = result.responses.slice(c.expect.validFirst);
  rest.forEach((response, n) => {
    problems.push(...answerProblems(c, response.status, response.headers, response.body, n === 0));
  });
  if (result.leftover.length > 0 && result.end !== 'reset')
    problems.push(problem('bytes that are not an HTTP response', preview(result.leftover)));
  // A valid request answered wrongly was answered with the junk's answer: counted once, above.
  const unanswered = result.responses.length === 0 || (problems.length === 0 && rest.length === 0);
  if (unanswered && !c.expect.silenceOk && result.end !== 'timeout')
    problems.push(
      problem(`the connection ${result.end === 'reset' ? 'was reset' : 'closed'} unanswered`),
    );
  return { statuses, problems };
}

async function sendWellFormed(
  c: WellFormedCase,
  pools: { tcp: Dispatcher; unix: Dispatcher },
): Promise<Outcome> {
  if (!c.expect.validAfter) return askWrong(c, c.unix ? pools.unix : pools.tcp);
  // Its own connection, so that a valid question can follow on it.
  const client = c.unix
    ? new Client('http://localhost', { connect: { socketPath: unixPath } })
    : new Client(base);
  try {
    const outcome = await askWrong(c, client);
    const wrong = await validQuestion(client);
    if (wrong === null) return outcome;
    const what = 'the valid question next on the same connection answered wrongly';
    return { ...outcome, problems: [...outcome.problems, problem(what, wrong)] };
  } finally {
    await client.destroy();
  }
}

async function askWrong(c: WellFormedCase, dispatcher: Dispatcher): Promise<Outcome> {
  const body = c.body;
  try {
    const response = await dispatcher.request({
      method: c.method,
      path: c.path,
      headers: c.headers,
      body: body === null ? null : c.chunked ? Readable.from(chunks(body)) : body,
      headersTimeout: HANG_MS,
      bodyTimeout: HANG_MS,
    });
    const text = Buffer.from(await response.body.arrayBuffer());
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [k, String(v)]),
    );
    return {
      statuses: [String(response.statusCode)],
      problems: answerProblems(c, response.statusCode, headers, text, true),
    };
  } catch (error) {
    // A server may cut off a body it will not read; what it said before that is not checked.
    if (c.expect.silenceOk) return { statuses: [], problems: [] };
    return { statuses: [], problems: [problem('no answer', String(error))] };
  }
}

function* chunks(body: Buffer): Generator<Buffer> {
  for (let at = 0; at < body.length; at += 16 * 1024) yield body.subarray(at, at + 16 * 1024);
}

/** Every answer is JSON; an error says which (`error.code`, or OFREP's `errorCode`). */
function answerProblems(
  c: FuzzCase,
  status: number,
  headers: RawResponse['headers'],
  bytes: Buffer,
  first: boolean,
): Problem[] {
  const text = bytes.toString('utf8');
  const body = parseJson(text);
  const problems: Problem[] = [];
  const type = headers['content-type'];
  if (!(type ?? '').startsWith('application/json'))
    problems.push(problem(`${status} with content-type ${String(type)}`));
  if (body === undefined) {
    problems.push(problem(`${status} with a body that is not JSON`, `${status} ${preview(bytes)}`));
    return problems;
  }
  if (c.expect.validAnswer) {
    const wrong = validAnswerProblem(status, type ?? '', text);
    if (wrong !== null) problems.push(problem('answered a legal request wrongly', wrong));
  }
  if (status >= 400) {
    const coded =
      typeof body?.error?.code === 'string' ||
      (c.expect.ofrep && typeof body?.errorCode === 'string');
    if (!coded) problems.push(problem(`${status} without an error code`, preview(bytes)));
  }
  const wanted = c.expect.statuses;
  if (first && wanted !== 'any' && !wanted.includes(status))
    problems.push(
      problem(`answered ${status}, expected ${wanted.join(' or ')}`, `${status} ${preview(bytes)}`),
    );
  return problems;
}

/** Senders that never finish their headers must be cut off without holding anyone else up. */
async function runSlowSenders(): Promise<Run['slow']> {
  const results = await Promise.all(
    Array.from({ length: SLOW_SENDERS }, (_, n) =>
      trickle(n % 4 === 3 ? unix : tcp, SLOW_REQUEST, {
        intervalMs: 500,
        timeoutMs: SLOW_CUTOFF_MS,
      }),
    ),
  );
  const problems: Problem[] = [];
  results.forEach((result, n) => {
    const where = `slow sender ${n} [${n % 4 === 3 ? 'unix' : 'tcp'}]`;
    if (result.end === 'timeout') {
      const what = `still connected after ${SLOW_CUTOFF_MS} ms (headersTimeout is 5000 ms)`;
      problems.push(problem(what, `${where}: ${what}`));
      return;
    }
    const [answer, ...more] = result.responses;
    const body = parseJson(answer?.body.toString('utf8') ?? '');
    if (answer?.status !== 408 || body?.error?.code !== 'request_timeout' || more.length > 0) {
      const got = result.responses.map((r) => `${r.status} ${preview(r.body)}`).join(', ');
      problems.push(problem('not one 408 request_timeout', `${where}: got ${got || 'nothing'}`));
    }
  });
  return { cutOffMs: results.map((r) => r.ms), problems };
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function preview(bytes: Buffer): string {
  const text = JSON.stringify(bytes.subarray(0, 200).toString('latin1'));
  return bytes.length > 200 ? `${text}…` : text;
}

function rss(): number {
  const status = readFileSync(`/proc/${agent.child.pid!}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
}

function report(): string {
  const rows = [...run.byKind]
    .sort(([, a], [, b]) => b.count - a.count)
    .map(([kind, s]) => {
      const statuses = [...s.statuses]
        .sort()
        .map(([status, n]) => `${status}×${n}`)
        .join(' ');
      return `  ${kind.padEnd(32)} ${String(s.count).padStart(5)}  ${statuses}${s.silent > 0 ? ` none×${s.silent}` : ''}`;
    });
  const cut = [...run.slow.cutOffMs].sort((a, b) => a - b);
  return [
    `fuzz: seed ${SEED}, ${TOTAL} requests (${SLOW_SENDERS} slow senders) in ${run.seconds.toFixed(1)} s`,
    ...rows,
    `  valid questions: ${run.validAnswers.ok} right, ${run.validAnswers.wrong.length} wrong, slowest ${run.validAnswers.worstMs.toFixed(0)} ms`,
    `  slow senders cut off after ${(cut[0]! / 1000).toFixed(1)}–${(cut.at(-1)! / 1000).toFixed(1)} s`,
    `  RSS ${(run.rssBefore / 2 ** 20).toFixed(0)} -> ${(run.rssAfter / 2 ** 20).toFixed(0)} MiB`,
  ].join('\n');
}

function listed(problems: readonly string[], limit = 25): string {
  const more = problems.length > limit ? `\n… and ${problems.length - limit} more` : '';
  return `${problems.length} problems:\n${problems.slice(0, limit).join('\n')}${more}`;
}

/** One line per kind of problem, with how often and the first request that showed it. */
function grouped(problems: readonly Problem[]): string {
  const groups = new Map<string, Problem[]>();
  for (const p of problems) groups.set(p.what, [...(groups.get(p.what) ?? []), p]);
  const lines = [...groups].map(
    ([what, all]) => `${String(all.length).padStart(5)} × ${what}\n        e.g. ${all[0]!.detail}`,
  );
  return `${problems.length} problems:\n${lines.join('\n')}`;
}

describe(`the local API under 10,000 malformed requests (seed ${SEED})`, () => {
  it('reports what it sent and what came back', () => {
    console.log(report());
    expect(run.byKind.size).toBeGreaterThan(10);
  });

  it('answers every malformed request it answers in JSON, with an error code', () => {
    expect(run.violations.length, grouped(run.violations)).toBe(0);
  });

  it('answers the valid question correctly throughout', () => {
    expect(run.validAnswers.wrong, listed(run.validAnswers.wrong)).toEqual([]);
    expect(run.validAnswers.ok).toBeGreaterThanOrEqual((TOTAL - SLOW_SENDERS) / VALID_EVERY);
  });

  it('cuts off senders that never finish their headers, within the headers timeout', () => {
    expect(run.slow.problems.length, grouped(run.slow.problems)).toBe(0);
  });

  it('stays alive, healthy and within its memory', async () => {
    expect(agent.child.exitCode).toBeNull();
    const health = await getJson(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(run.rssAfter - run.rssBefore).toBeLessThan(RSS_SLACK_BYTES);
  });

  it('logs no error: a client that misbehaves is not the agent failing', () => {
    const errors = agent
      .output()
      .split('\n')
      .filter((line) => /"level":"(error|fatal)"/.test(line));
    expect(errors.length, listed(errors, 5)).toBe(0);
  });
});
