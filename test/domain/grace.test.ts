import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { featureDecision } from '../../src/domain/decision.js';
import {
  initialState,
  transition,
  trustedAt,
  type AgentState,
  type GraceEvent,
} from '../../src/domain/grace.js';
import { decideWithGrace } from '../../src/domain/grace-decisions.js';
import type { License } from '../../src/domain/license.js';
import { HOUR, MINUTE } from '../../src/domain/time.js';

const DAY = 24 * HOUR;
import { evidence, license, T0 } from './license-builders.js';

const settings = {
  offlineGraceMs: 72 * HOUR,
  rollbackToleranceMs: 5 * MINUTE,
  maxServerAheadMs: 15 * MINUTE,
};
const policy = { features: ['reporting'], offlineGraceMs: settings.offlineGraceMs };

const genuine = (
  licenses: License[] = [license()],
  serverDate: number | null = null,
): GraceEvent => ({
  kind: 'genuine-answer',
  serverDate,
  observations: {
    licenses: { kind: 'licenses', licenses, verifiedAt: 0, evidence },
    featureChecks: new Map(),
  },
});
const refusal: GraceEvent = {
  kind: 'definite-refusal',
  serverDate: null,
  observations: {
    licenses: { kind: 'refused', code: 'device_blacklisted', verifiedAt: 0 },
    featureChecks: new Map(),
  },
};
const unreachable: GraceEvent = { kind: 'unreachable', reason: 'timeout' };
const forged: GraceEvent = { kind: 'not-genuine', reason: 'bad_signature' };

/**
 * Runs events at wall clock instants, each with a monotonic reading when given; by default real
 * time passes only as the wall clock moves forward, and a step back (the clock set back) takes none.
 */
function run(steps: [GraceEvent, number, number?][]): AgentState {
  let state = initialState;
  let monotonic = 0;
  let lastWall: number | null = null;
  for (const [event, wall, reading] of steps) {
    monotonic = reading ?? monotonic + Math.max(0, wall - (lastWall ?? wall));
    lastWall = wall;
    state = transition(state, event, { wall, monotonic }, settings);
  }
  return state;
}
const reporting = (state: AgentState, now: number) =>
  featureDecision(decideWithGrace(state, now, policy).decisions, 'reporting');

describe('the grace state machine', () => {
  it('starts unknown, and nothing is allowed before a genuine answer', () => {
    expect(reporting(initialState, T0)).toMatchObject({ allowed: false, state: 'unknown' });
    const state = run([
      [unreachable, T0],
      [forged, T0 + HOUR],
    ]);
    expect(reporting(state, T0 + HOUR)).toMatchObject({ allowed: false, state: 'unknown' });
  });

  it('a genuine answer makes the licence active', () => {
    expect(reporting(run([[genuine(), T0]]), T0)).toMatchObject({ allowed: true, state: 'active' });
  });

  it('enters grace when the server is unreachable and the licence is valid', () => {
    const state = run([
      [genuine(), T0],
      [unreachable, T0 + HOUR],
    ]);
    expect(reporting(state, T0 + HOUR)).toMatchObject({
      allowed: true,
      state: 'grace',
      reason: 'offline_grace',
      graceEndsAt: T0 + 72 * HOUR,
    });
  });

  it('an answer that is not genuine counts as no answer: grace, not a change', () => {
    const answered = run([[genuine(), T0]]);
    const state = transition(answered, forged, { wall: T0 + HOUR, monotonic: HOUR }, settings);
    expect(state.observations).toBe(answered.observations);
    expect(reporting(state, T0 + HOUR)).toMatchObject({ allowed: true, state: 'grace' });
  });

  it('denies with offline_grace_expired once the offline grace ends', () => {
    const state = run([
      [genuine(), T0],
      [unreachable, T0 + HOUR],
    ]);
    expect(reporting(state, T0 + 72 * HOUR)).toMatchObject({
      allowed: false,
      state: 'expired',
      reason: 'offline_grace_expired',
    });
  });

  it('the grace is measured from the last genuine answer, not from the first failure', () => {
    const state = run([
      [genuine(), T0],
      [unreachable, T0 + 70 * HOUR],
    ]);
    expect(reporting(state, T0 + 72 * HOUR).reason).toBe('offline_grace_expired');
  });

  it('a genuine answer after an outage ends the grace', () => {
    const state = run([
      [genuine(), T0],
      [unreachable, T0 + HOUR],
      [genuine(), T0 + 2 * HOUR],
    ]);
    expect(reporting(state, T0 + 2 * HOUR)).toMatchObject({ allowed: true, state: 'active' });
    expect(state.trust.failingSince).toBeNull();
  });

  it('a definite refusal denies at once, and grace never covers it', () => {
    const state = run([
      [genuine(), T0],
      [refusal, T0 + HOUR],
      [unreachable, T0 + 2 * HOUR],
    ]);
    expect(reporting(state, T0 + 2 * HOUR)).toMatchObject({
      allowed: false,
      state: 'denied',
      reason: 'device_blacklisted',
    });
  });

  it('a licence disabled in a genuine answer is denied at once', () => {
    const state = run([
      [genuine(), T0],
      [genuine([license({ enabled: false })]), T0 + HOUR],
    ]);
    expect(reporting(state, T0 + HOUR)).toMatchObject({
      allowed: false,
      reason: 'license_disabled',
    });
  });

  it("the licence's own validity is enforced offline", () => {
    const state = run([
      [genuine([license({ validUntil: T0 + 5 * HOUR })]), T0],
      [unreachable, T0 + HOUR],
    ]);
    expect(reporting(state, T0 + 5 * HOUR)).toMatchObject({
      allowed: false,
      reason: 'license_expired',
    });
  });

  it("the licence's own grace hours are honoured offline, and end where they end", () => {
    const lic = license({ validUntil: T0 + 5 * HOUR, graceHours: 2 });
    const state = run([
      [genuine([lic]), T0],
      [unreachable, T0 + HOUR],
    ]);
    expect(reporting(state, T0 + 6 * HOUR)).toMatchObject({
      allowed: true,
      state: 'grace',
      reason: 'license_grace_period',
      graceEndsAt: T0 + 7 * HOUR,
    });
    expect(reporting(state, T0 + 7 * HOUR)).toMatchObject({
      allowed: false,
      reason: 'license_expired',
    });
  });

  it('a clock moved back does not extend the grace', () => {
    const state = run([
      [genuine(), T0],
      [unreachable, T0 + 71 * HOUR],
      [{ kind: 'clock-observed' }, T0 + 72 * HOUR],
    ]);
    // Someone sets the clock back two days: the decision stays as late as the latest time seen.
    expect(reporting(state, T0 + 24 * HOUR)).toMatchObject({
      allowed: false,
      reason: 'offline_grace_expired',
    });
  });

  it('a clock moved back beyond the tolerance is counted once', () => {
    const state = run([
      [genuine(), T0],
      [{ kind: 'clock-observed' }, T0 - 10 * MINUTE],
      [{ kind: 'clock-observed' }, T0 - 9 * MINUTE],
      [{ kind: 'clock-observed' }, T0 - 8 * MINUTE],
    ]);
    expect(state.trust.clockRollbacks).toBe(1);
    // Trusted time ran on with the two minutes that passed: the gap holds at ten.
    expect(state.trust.clockBehindMs).toBe(10 * MINUTE);
  });

  it('a server Date ahead of the local clock is not a rollback, and does not stretch grace', () => {
    const state = run([
      [genuine([license()], T0 + 10 * MINUTE), T0],
      [{ kind: 'clock-observed' }, T0 + MINUTE],
    ]);
    expect(state.trust.clockRollbacks).toBe(0);
    expect(state.trust.clockBehindMs).toBe(10 * MINUTE);
    expect(state.trust.lastGenuineAt).toBe(T0);
  });

  it('a small step back within the tolerance is not a rollback', () => {
    const state = run([
      [genuine(), T0],
      [{ kind: 'clock-observed' }, T0 - MINUTE],
    ]);
    expect(state.trust.clockRollbacks).toBe(0);
  });

  it("a genuine answer's server Date moves trusted time forward, within the vendor's own tolerance", () => {
    const state = run([[genuine([license()], T0 + 10 * MINUTE), T0]]);
    expect(state.trust.highestTrustedAt).toBe(T0 + 10 * MINUTE);
    expect(state.trust.serverSkewMs).toBe(10 * MINUTE);
    const far = run([[genuine([license()], T0 + 400 * 24 * HOUR), T0]]);
    expect(far.trust.highestTrustedAt).toBe(T0 + 15 * MINUTE);
  });

  it('a clock set back an hour does not stop the grace: it ends after 72 hours of real time', () => {
    const answered: [GraceEvent, number, number][] = [
      [genuine(), T0, 0],
      [unreachable, T0 - HOUR + MINUTE, MINUTE],
    ];
    // 71 h 59 min of real time later, the wall clock reads an hour less.
    const before = run([...answered, [unreachable, T0 + 71 * HOUR - MINUTE, 72 * HOUR - MINUTE]]);
    expect(reporting(before, T0 + 71 * HOUR - MINUTE)).toMatchObject({ allowed: true });
    const after = run([...answered, [unreachable, T0 + 71 * HOUR, 72 * HOUR]]);
    expect(after.trust.highestTrustedAt).toBe(T0 + 72 * HOUR);
    expect(after.trust.clockBehindMs).toBe(HOUR);
    expect(reporting(after, T0 + 71 * HOUR)).toMatchObject({
      allowed: false,
      reason: 'offline_grace_expired',
      expiresAt: T0 + 72 * HOUR,
    });
  });

  it('trusted time runs on by the monotonic clock from the highest instant, never by the wall clock behind it', () => {
    const state = run([
      [genuine(), T0, 1000],
      [{ kind: 'clock-observed' }, T0 - 24 * HOUR, 1000 + HOUR],
    ]);
    expect(trustedAt(state.trust, { wall: T0 - 24 * HOUR, monotonic: 1000 + 3 * HOUR })).toBe(
      T0 + 3 * HOUR,
    );
    // Once the wall clock passes it again, the wall clock leads.
    expect(trustedAt(state.trust, { wall: T0 + 5 * HOUR, monotonic: 1000 + 3 * HOUR })).toBe(
      T0 + 5 * HOUR,
    );
  });

  it('a timeline without a monotonic reading (saved on another boot) holds its instant as a floor only', () => {
    const trust = { ...run([[genuine(), T0, 1000]]).trust, highestMonotonic: null };
    expect(trustedAt(trust, { wall: T0 - HOUR, monotonic: 5 * HOUR })).toBe(T0);
  });

  it('after a forward jump that came back, a genuine answer dated as the wall clock reads brings trusted time back', () => {
    const jumped = run([
      [genuine(), T0, 0],
      [{ kind: 'clock-observed' }, T0 + 400 * DAY, MINUTE],
      [unreachable, T0 + 2 * MINUTE, 2 * MINUTE],
    ]);
    expect(jumped.trust.highestTrustedAt).toBe(T0 + 400 * DAY + MINUTE);
    expect(reporting(jumped, T0 + 2 * MINUTE)).toMatchObject({ allowed: false });

    const corrected = run([
      [genuine(), T0, 0],
      [{ kind: 'clock-observed' }, T0 + 400 * DAY, MINUTE],
      [genuine([license()], T0 + 3 * MINUTE + 20_000), T0 + 3 * MINUTE, 3 * MINUTE],
    ]);
    expect(corrected.trust).toMatchObject({
      highestTrustedAt: T0 + 3 * MINUTE + 20_000,
      lastGenuineAt: T0 + 3 * MINUTE,
      timeCorrections: 1,
      clockBehindMs: 20_000,
    });
    expect(reporting(corrected, T0 + 3 * MINUTE)).toMatchObject({ allowed: true, state: 'active' });
  });

  it('a server Date that disagrees with the wall clock moves nothing back: it is not signed', () => {
    // The wall clock still 400 days ahead; an answer dated with the true time is no evidence.
    const state = run([
      [genuine(), T0, 0],
      [genuine([license()], T0 + 2 * MINUTE), T0 + 400 * DAY, 2 * MINUTE],
    ]);
    expect(state.trust.highestTrustedAt).toBe(T0 + 400 * DAY);
    expect(state.trust.timeCorrections).toBe(0);
  });

  it('the evidence is two clocks agreeing: a clock set back with a Date forged to match it would bring time back', () => {
    // What this rests on (docs/security-model.md): it takes the local clock (root) and the network
    // path at once, and the answer must still be genuine and newer than the one held.
    const state = run([
      [genuine(), T0, 0],
      [genuine([license()], T0 - HOUR), T0 - HOUR, MINUTE],
    ]);
    expect(state.trust.highestTrustedAt).toBe(T0 - HOUR);
    expect(state.trust.timeCorrections).toBe(1);
  });

  it('a genuine answer within the tolerance of trusted time is no correction', () => {
    const state = run([
      [genuine(), T0, 0],
      [genuine([license()], T0 - 2 * MINUTE), T0 - 2 * MINUTE, MINUTE],
    ]);
    expect(state.trust.timeCorrections).toBe(0);
    expect(state.trust.highestTrustedAt).toBe(T0 + MINUTE);
  });
});

// ---- Properties over random event sequences ------------------------------------------------

type Step = {
  event: 'genuine' | 'refusal' | 'unreachable' | 'forged' | 'clock';
  dt: number;
  lic: Partial<License>;
  serverAhead: number | null;
};

const step: fc.Arbitrary<Step> = fc.record({
  event: fc.constantFrom('genuine', 'refusal', 'unreachable', 'forged', 'clock'),
  // Mostly forward, sometimes a jump back (someone sets the clock), in minutes.
  dt: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 48 * 60 }).map((m) => m * MINUTE) },
    { weight: 1, arbitrary: fc.integer({ min: -30 * 24 * 60, max: -1 }).map((m) => m * MINUTE) },
  ),
  lic: fc.record({
    enabled: fc.boolean(),
    validUntil: fc.option(
      fc.integer({ min: -100, max: 400 }).map((h) => T0 + h * HOUR),
      { nil: null },
    ),
    graceHours: fc.constantFrom(0, 0, 24),
  }),
  serverAhead: fc.option(
    fc.integer({ min: -60, max: 60 * 24 }).map((m) => m * MINUTE),
    { nil: null },
  ),
});

function eventOf(s: Step, now: number): GraceEvent {
  switch (s.event) {
    case 'genuine':
      return genuine([license(s.lic)], s.serverAhead === null ? null : now + s.serverAhead);
    case 'refusal':
      return refusal;
    case 'unreachable':
      return unreachable;
    case 'forged':
      return forged;
    case 'clock':
      return { kind: 'clock-observed' };
  }
}

/** Replays steps, calling `check` after each with what a careful observer knows independently. */
function replay(
  steps: Step[],
  check: (ctx: {
    state: AgentState;
    now: number;
    maxWall: number;
    step: Step;
    previous: AgentState;
    lastGenuineWall: number | null;
    genuineSeen: boolean;
  }) => void,
) {
  let state = initialState;
  let now = T0;
  // Real time: it passes as the clock moves forward; setting the clock back takes none.
  let monotonic = 0;
  // Only instants the agent was shown count: it never saw T0 unless a step landed there.
  let maxWall = -Infinity;
  let lastGenuineWall: number | null = null;
  let genuineSeen = false;
  for (const s of steps) {
    now += s.dt;
    monotonic += Math.max(0, s.dt);
    const previous = state;
    state = transition(state, eventOf(s, now), { wall: now, monotonic }, settings);
    if (state.trust.timeCorrections > previous.trust.timeCorrections) {
      // Time is brought back only when two clocks agree: the wall clock and a genuine answer's
      // Date. From then on, only the instants shown since count as seen.
      expect(s.event).toBe('genuine');
      expect(Math.abs(s.serverAhead ?? Infinity)).toBeLessThanOrEqual(settings.rollbackToleranceMs);
      maxWall = -Infinity;
    }
    maxWall = Math.max(maxWall, now);
    if (s.event === 'genuine' || s.event === 'refusal') lastGenuineWall = maxWall;
    if (s.event === 'genuine') genuineSeen = true;
    check({ state, now, maxWall, step: s, previous, lastGenuineWall, genuineSeen });
  }
}

describe('grace invariants over random event sequences', () => {
  const sequences = fc.array(step, { minLength: 1, maxLength: 40 });

  it('nothing is ever allowed before a genuine answer', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        replay(steps, ({ state, now, genuineSeen }) => {
          if (!genuineSeen) expect(reporting(state, now).allowed).toBe(false);
        });
      }),
    );
  });

  it('only a genuine answer or a definite refusal changes what the agent knows', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        replay(steps, ({ state, previous, step: s }) => {
          if (s.event !== 'genuine' && s.event !== 'refusal')
            expect(state.observations).toBe(previous.observations);
        });
      }),
    );
  });

  it('a definite refusal denies at once', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        replay(steps, ({ state, now, step: s }) => {
          if (s.event === 'refusal') expect(reporting(state, now).allowed).toBe(false);
        });
      }),
    );
  });

  it('an allowed feature is always within the offline grace of the last genuine answer, in the latest time seen', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        replay(steps, ({ state, now, maxWall, lastGenuineWall }) => {
          if (reporting(state, now).allowed) {
            expect(lastGenuineWall).not.toBeNull();
            expect(maxWall).toBeLessThan(lastGenuineWall! + settings.offlineGraceMs);
          }
        });
      }),
    );
  });

  it("an allowed feature's licence is valid (or in its own grace) in the latest time seen", () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        let lastLicense: Partial<License> | null = null;
        replay(steps, ({ state, now, maxWall, step: s }) => {
          if (s.event === 'genuine') lastLicense = s.lic;
          if (s.event === 'refusal') lastLicense = null;
          if (!reporting(state, now).allowed) return;
          expect(lastLicense).not.toBeNull();
          const { validUntil = null, graceHours = 0 } = lastLicense!;
          if (validUntil !== null) expect(maxWall).toBeLessThan(validUntil + graceHours * HOUR);
        });
      }),
    );
  });

  it('setting the clock back never turns a denial into a grant', () => {
    fc.assert(
      fc.property(sequences, fc.integer({ min: 1, max: 400 * 24 * 60 }), (steps, backMinutes) => {
        replay(steps, ({ state, now }) => {
          const atNow = reporting(state, now);
          const earlier = reporting(state, now - backMinutes * MINUTE);
          if (!atNow.allowed) expect(earlier.allowed).toBe(false);
        });
      }),
    );
  });
});
