import type { Observations } from './observations.js';
import { noObservations } from './observations.js';
import type { Instant } from './time.js';
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
 * The grace state machine: (previous state, event, now) → next state. Pure; `now` is the wall
 * clock as read, which may be wrong. The observations change only on a genuine answer or a
 * definite refusal: nothing else can grant, and nothing else can revoke.
 */
export function transition(
  state: AgentState,
  event: GraceEvent,
  now: Instant,
  settings: GraceSettings,
): AgentState {
  const trust = observeClock(state.trust, now, settings);
  const at = trustedNow(trust, now);
  switch (event.kind) {
    case 'genuine-answer':
    case 'definite-refusal': {
      const serverAhead =
        event.serverDate === null
          ? null
          : Math.min(event.serverDate, now + settings.maxServerAheadMs);
      const highestTrustedAt = Math.max(trust.highestTrustedAt, serverAhead ?? 0);
      return {
        observations: event.observations,
        trust: {
          ...trust,
          // From the agent's own trusted time: a server Date (not covered by the signature) may
          // move time forward, which only shortens grace, but never stretches it.
          lastGenuineAt: at,
          highestTrustedAt,
          // A gap the server's Date opened is where the clock stands, not a jump back.
          clockBehindMs: highestTrustedAt > now ? highestTrustedAt - now : trust.clockBehindMs,
          failingSince: null,
          lastFailure: null,
          serverSkewMs: event.serverDate === null ? trust.serverSkewMs : event.serverDate - now,
        },
      };
    }
    case 'unreachable':
    case 'not-genuine':
      return {
        observations: state.observations,
        trust: { ...trust, failingSince: trust.failingSince ?? at, lastFailure: event.reason },
      };
    case 'clock-observed':
      return trust === state.trust ? state : { ...state, trust };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** "Now" as the agent believes it: never earlier than the highest instant it has seen. */
export function trustedNow(trust: TrustTimeline, now: Instant): Instant {
  return Math.max(now, trust.highestTrustedAt);
}

function observeClock(trust: TrustTimeline, now: Instant, settings: GraceSettings): TrustTimeline {
  if (now >= trust.highestTrustedAt) {
    return now === trust.highestTrustedAt && trust.clockBehindMs === null
      ? trust
      : { ...trust, highestTrustedAt: now, clockBehindMs: null };
  }
  const behind = trust.highestTrustedAt - now;
  // A clock left behind shrinks the gap as it runs, so only a new jump back counts again.
  const jumped = behind - (trust.clockBehindMs ?? 0) > settings.rollbackToleranceMs;
  return {
    ...trust,
    clockRollbacks: jumped ? trust.clockRollbacks + 1 : trust.clockRollbacks,
    clockBehindMs: behind,
  };
}
