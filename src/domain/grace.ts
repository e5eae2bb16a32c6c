import type { Observations } from './observations.js';
import { noObservations } from './observations.js';
import type { ClockReading, Instant } from './time.js';
import { initialTimeline, type FailureReason, type TrustTimeline } from './trust-timeline.js';

/** Everything the agent's decisions rest on: what the server said, and when it was last heard. */
export interface AgentState {
  readonly observations: Observations;
  readonly trust: TrustTimeline;
}

export const initialState: AgentState = { observations: noObservations, trust: initialTimeline };

/**
 * What can happen to the agent. A sync ends in exactly one of the first four; `clock-observed`
 * is the agent noting the time, so that a clock moved back is caught between syncs too.
 */
export type GraceEvent =
  /** A genuine answer: licences (and feature checks) the server vouched for. */
  | {
      readonly kind: 'genuine-answer';
      readonly observations: Observations;
      readonly serverDate: Instant | null;
    }
  /** The server said no, definitely (the refusal is inside the observations). */
  | {
      readonly kind: 'definite-refusal';
      readonly observations: Observations;
      readonly serverDate: Instant | null;
    }
  /** Refused, reset, DNS, timeout, 5xx, 429; also a rejected request (credentials, clock). */
  | { readonly kind: 'unreachable'; readonly reason: FailureReason }
  /** An answer arrived but cannot be trusted: bad or missing signature, wrong shape. */
  | { readonly kind: 'not-genuine'; readonly reason: FailureReason }
  | { readonly kind: 'clock-observed' };

export interface GraceSettings {
  /** How long entitlements outlive the last genuine answer while nothing genuine comes back. */
  readonly offlineGraceMs: number;
  /** A wall clock this far behind the highest trusted time counts as moved back. */
  readonly rollbackToleranceMs: number;
  /**
   * A server `Date` ahead of the local clock by more than this is not believed: the header is not
   * covered by the signature, and the vendor itself refuses requests whose clocks differ by more.
   */
  readonly maxServerAheadMs: number;
}

/**
 * The grace state machine: (previous state, event, now) → next state. Pure; `now` is a reading of
 * both clocks, and its wall clock may be wrong. The observations change only on a genuine answer
 * or a definite refusal: nothing else can grant, and nothing else can revoke.
 */
export function transition(
  state: AgentState,
  event: GraceEvent,
  now: ClockReading,
  settings: GraceSettings,
): AgentState {
  const trust = observeClock(state.trust, now, settings);
  switch (event.kind) {
    case 'genuine-answer':
    case 'definite-refusal': {
      const base = correctedBy(trust, event.serverDate, now, settings);
      const at = base.highestTrustedAt;
      const serverAhead =
        event.serverDate === null
          ? null
          : Math.min(event.serverDate, now.wall + settings.maxServerAheadMs);
      const highestTrustedAt = Math.max(at, serverAhead ?? 0);
      return {
        observations: event.observations,
        trust: {
          ...base,
          // From the agent's own trusted time: a server Date (not covered by the signature) may
          // move time forward, which only shortens grace, but never stretches it.
          lastGenuineAt: at,
          highestTrustedAt,
          highestMonotonic: now.monotonic,
          // A gap the server's Date opened is where the clock stands, not a jump back.
          clockBehindMs: highestTrustedAt > now.wall ? highestTrustedAt - now.wall : null,
          failingSince: null,
          lastFailure: null,
          serverSkewMs: event.serverDate === null ? base.serverSkewMs : event.serverDate - now.wall,
        },
      };
    }
    case 'unreachable':
    case 'not-genuine':
      return {
        observations: state.observations,
        trust: {
          ...trust,
          failingSince: trust.failingSince ?? trust.highestTrustedAt,
          lastFailure: event.reason,
        },
      };
    case 'clock-observed':
      return trust === state.trust ? state : { ...state, trust };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/**
 * "Now" as the agent believes it: the wall clock, but never earlier than the highest trusted
 * instant carried on by the time the monotonic clock says has passed since. A wall clock set back
 * therefore neither freezes nor rewinds grace: it keeps counting down at the pace of real time.
 */
export function trustedAt(trust: TrustTimeline, now: ClockReading): Instant {
  // A monotonic clock cannot run backwards; a reading below the anchor is another origin.
  const elapsed =
    trust.highestMonotonic === null ? 0 : Math.max(0, now.monotonic - trust.highestMonotonic);
  return Math.max(now.wall, trust.highestTrustedAt + elapsed);
}

/**
 * `trustedAt` for a timeline already brought up to the reading `now` was taken with (by
 * `advanceTimeline`, or a transition at that reading): the highest trusted instant is then the
 * floor, and the wall clock alone tells whether time has moved past it.
 */
export function trustedNow(trust: TrustTimeline, now: Instant): Instant {
  return Math.max(now, trust.highestTrustedAt);
}

/**
 * The timeline re-anchored at the reading `now`: the highest trusted instant becomes trusted now,
 * with the monotonic reading that goes with it. It judges nothing: `observeClock` counts rollbacks.
 */
export function advanceTimeline(trust: TrustTimeline, now: ClockReading): TrustTimeline {
  const at = trustedAt(trust, now);
  const clockBehindMs = at > now.wall ? at - now.wall : null;
  if (
    at === trust.highestTrustedAt &&
    now.monotonic === trust.highestMonotonic &&
    clockBehindMs === trust.clockBehindMs
  ) {
    return trust;
  }
  return { ...trust, highestTrustedAt: at, highestMonotonic: now.monotonic, clockBehindMs };
}

function observeClock(trust: TrustTimeline, now: ClockReading, settings: GraceSettings) {
  const next = advanceTimeline(trust, now);
  if (next.clockBehindMs === null) return next;
  // Both clocks run at one pace, so a clock left behind keeps its gap: only a new jump back counts.
  const jumped = next.clockBehindMs - (trust.clockBehindMs ?? 0) > settings.rollbackToleranceMs;
  return jumped ? { ...next, clockRollbacks: trust.clockRollbacks + 1 } : next;
}

/**
 * Trusted time brought back to the time two clocks agree on, when it stands ahead of it: after a
 * forward jump of the wall clock (a bad NTP answer) that came back, trusted time would otherwise
 * stay ahead for good, and every licence with it.
 *
 * The evidence is the agreement of two independent clocks: the local wall clock and the Date of
 * a genuine answer (signed, bound to this device, and fresh, which the caller checked). The Date
 * alone moves nothing back: it is not covered by the signature, so anyone on the network path
 * could write one that stretches grace. Moving time back past the tolerance therefore needs the
 * local clock set back (root) and the Date forged with it (the network path) at once.
 */
function correctedBy(
  trust: TrustTimeline,
  serverDate: Instant | null,
  now: ClockReading,
  settings: GraceSettings,
): TrustTimeline {
  if (serverDate === null) return trust;
  if (Math.abs(serverDate - now.wall) > settings.rollbackToleranceMs) return trust;
  if (trust.highestTrustedAt - now.wall <= settings.rollbackToleranceMs) return trust;
  // Back to the agent's own clock, which the server confirmed; a Date a little ahead of it then
  // moves time forward as any answer's does.
  return {
    ...trust,
    highestTrustedAt: now.wall,
    highestMonotonic: now.monotonic,
    clockBehindMs: null,
    timeCorrections: trust.timeCorrections + 1,
  };
}
