import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { GRACE_MS, HOUR, startFaultAgent, type FaultAgent } from './agent-harness.js';

// A hostile or broken wall clock against an in-process agent (issue 19, items 2 and 3). The
// agent's clock is the harness's OffsetClock: the wall clock and the time that passed (the
// monotonic clock) move apart as the test says; the machine's clock is never touched.

const MINUTE = 60_000;
const DAY = 24 * HOUR;

let sandbox: Sandbox;
const running = new Set<FaultAgent>();

beforeAll(async () => {
  sandbox = await startSandbox({
    privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  });
});
afterEach(async () => {
  for (const agent of running) await agent.stop();
  running.clear();
});
afterAll(async () => {
  await sandbox.close();
});

/** An agent that has just had a genuine answer: `reporting` is active. */
async function answered(): Promise<FaultAgent> {
  const a = await startFaultAgent(sandbox, sandbox.url);
  running.add(a);
  await a.agent.refresh();
  expect(await a.feature('reporting')).toMatchObject({ allowed: true, state: 'active' });
  return a;
}

async function restarted(a: FaultAgent, options?: { bootId?: string | null }) {
  running.delete(a);
  const b = await a.restart(options);
  running.add(b);
  return b;
}

async function graceEndsAt(a: FaultAgent): Promise<string> {
  const ends = (await a.status())['offline']['graceEndsAt'] as string | null;
  if (ends === null) throw new Error('no genuine answer yet');
  return ends;
}

async function metric(a: FaultAgent, name: string): Promise<string | undefined> {
  const text = await (await fetch(`${a.agent.url}/metrics`)).text();
  return text.split('\n').find((line) => line.startsWith(`${name} `));
}

describe('a wall clock set back an hour', () => {
  it('is noticed by the minute watch, and grace still ends 72 hours of real time after the last answer', async () => {
    const a = await answered();
    const endsAt = await graceEndsAt(a);

    a.clock.offsetMs = -HOUR;
    a.ticker.fire();
    expect(a.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('moved back') }),
    );

    // 71 h 59 min pass; the wall clock still reads an hour less.
    a.clock.pass(GRACE_MS - MINUTE);
    expect(await a.feature('reporting')).toMatchObject({ allowed: true });
    a.clock.pass(2 * MINUTE);
    expect(await a.feature('reporting')).toMatchObject({
      allowed: false,
      reason: 'offline_grace_expired',
      expiresAt: endsAt,
    });
  });
});

describe('a wall clock that jumped 400 days ahead and came back', () => {
  it('expires everything while ahead, and a genuine answer dated as the wall clock reads makes the licences active again', async () => {
    const a = await answered();
    a.clock.offsetMs = 400 * DAY;
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({ allowed: false });

    a.clock.offsetMs = 0;
    expect(await a.feature('reporting')).toMatchObject({ allowed: false });
    await a.agent.refresh();
    expect(await a.feature('reporting')).toMatchObject({ allowed: true, state: 'active' });

    const warning = a.logs.find((line) => line.msg.startsWith('trusted time brought back'));
    expect(warning).toMatchObject({ level: 'warn' });
    expect(warning?.['backMs']).toBeGreaterThan(399 * DAY);
    expect(await metric(a, 'license_agent_trusted_time_corrections_total')).toBe(
      'license_agent_trusted_time_corrections_total 1',
    );

    // On disk too: a restart does not bring the jump back.
    const b = await restarted(a);
    expect(await b.feature('reporting')).toMatchObject({ allowed: true });
  });

  it('starts the corrections counter at zero', async () => {
    const a = await answered();
    expect(await metric(a, 'license_agent_trusted_time_corrections_total')).toBe(
      'license_agent_trusted_time_corrections_total 0',
    );
  });
});

describe('a restart offline with the wall clock a day back', () => {
  /** 73 hours pass, the agent restarts, and its wall clock reads a day less than the truth. */
  async function restartedLater(options?: { bootId?: string | null }) {
    const a = await answered();
    const endsAt = await graceEndsAt(a);
    a.clock.pass(GRACE_MS + HOUR);
    a.clock.offsetMs -= DAY;
    return { b: await restarted(a, options), endsAt };
  }

  it('within the same boot, remembers the time that passed: the grace has ended', async () => {
    const { b, endsAt } = await restartedLater();
    expect(await b.feature('reporting')).toMatchObject({
      allowed: false,
      reason: 'offline_grace_expired',
      expiresAt: endsAt,
    });
  });

  it('on another boot, has only the saved instant as a floor (the monotonic clock restarted)', async () => {
    const { b } = await restartedLater({ bootId: '5b0c8f1e-3a2d-4c6b-8e9f-0a1b2c3d4e5f' });
    expect(await b.feature('reporting')).toMatchObject({ allowed: true });
  });

  it('with the boot ID hidden (ProcSubset=pid), cannot tell the boot apart and falls back to the floor', async () => {
    const { b } = await restartedLater({ bootId: null });
    expect(await b.feature('reporting')).toMatchObject({ allowed: true });
  });
});
