import { trustedNow, type AgentState } from '../domain/grace.js';
import type { Instant } from '../domain/time.js';
import type { TrustView } from './ports.js';

/**
 * Where the agent stands in time, for metrics and status; `state` as the board gives it, brought up
 * to `now` (see `DecisionBoard.state`).
 */
export function trustView(state: AgentState, now: Instant, offlineGraceMs: number): TrustView {
  const { trust } = state;
  return {
    trustedNow: trustedNow(trust, now),
    lastGenuineAt: trust.lastGenuineAt,
    graceEndsAt: trust.lastGenuineAt === null ? null : trust.lastGenuineAt + offlineGraceMs,
    failing: trust.failingSince !== null,
    clockRollbacks: trust.clockRollbacks,
    timeCorrections: trust.timeCorrections,
    serverSkewMs: trust.serverSkewMs,
  };
}
