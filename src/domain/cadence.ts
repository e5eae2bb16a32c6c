import { HOUR, MINUTE, type Instant } from './time.js';

/** Something the device relies on that changes at a known instant. */
export interface Boundary {
  readonly at: Instant;
  readonly kind: 'license_expiry' | 'feature_expiry' | 'grace_end' | 'floating_timeout';
}

/** One sync's cost to the company's rate limit: every vendor call it made. */
export interface SyncSpend {
  readonly at: Instant;
  readonly calls: number;
}

export interface CadenceSettings {
  /** The shortest gap between syncs, however near a boundary. */
  readonly minIntervalMs: number;
  /** The gap when nothing the device relies on changes soon. */
  readonly maxIntervalMs: number;
  /** Vendor calls one device may make in any 24 hours, all syncs together. */
  readonly dailyCallBudget: number;
}

/**
 * Within the smallest plan's 1,800 calls a minute, 10,000 devices may each make about 250 a day;
 * an hour apart when nothing is near, five minutes at the closest.
 */
export const DEFAULT_CADENCE: CadenceSettings = {
  minIntervalMs: 5 * MINUTE,
  maxIntervalMs: HOUR,
  dailyCallBudget: 250,
};

export type CadenceReason =
  /**
   * The agent has no answer it can still stand on (a first start, or the offline grace is over):
   * at once after start, then every shortest gap until one comes.
   */
  | 'boot'
  /**
   * The first sync after start with saved answers to stand on: at this device's own slot in the
   * longest gap, so a fleet powered on in one second calls the server as evenly as it does all day.
   */
  | 'slot'
  /** Nothing the device relies on changes within the longest gap. */
  | 'steady'
  /** A boundary approaches: a quarter of the time left, so a renewal is seen before it lapses. */
  | 'approaching'
  /** Just past a boundary the gaps could not shrink further for: learn what it changed. */
  | 'after_boundary'
  /** The server said 429: the whole device waits, not one call. */
  | 'rate_limited'
  /** The last 24 hours spent the call budget: the next sync waits until enough of it frees. */
  | 'budget';

export interface NextSync {
  readonly at: Instant;
  readonly reason: CadenceReason;
  /** The boundary the time was chosen for, when one was. */
  readonly boundary: Boundary | null;
}

export interface CadenceInput {
  readonly now: Instant;
  /** When the last sync started; null before the first. */
  readonly lastSyncAt: Instant | null;
  readonly boundaries: readonly Boundary[];
  /** Syncs of (at least) the last 24 hours, with the calls each made. */
  readonly recent: readonly SyncSpend[];
  /** What the next sync is expected to cost: `device_licenses` plus each feature check. */
  readonly callsPerSync: number;
  /** From the last 429's Retry-After (or the backoff chosen for it); null when none holds. */
  readonly rateLimitedUntil: Instant | null;
}

const DAY = 24 * HOUR;
/** How far past a boundary the sync that learns its outcome runs: the server's clock may lag. */
const AFTER_BOUNDARY_MS = 30_000;
/** The gap is this share of the time left to the boundary. */
const APPROACH_SHARE = 4;

/**
 * When the next sync should start, and why. Gaps shrink as a boundary approaches (a quarter of
 * the time left, never under `minIntervalMs`), one sync lands just past it, and otherwise they
 * stay at `maxIntervalMs`. Two brakes apply last: a 429 holds the device until its time, and no
 * 24 hours may spend more than `dailyCallBudget` calls, so the promise to the fleet holds
 * whatever the licences do.
 */
export function nextSync(input: CadenceInput, settings: CadenceSettings): NextSync {
  const { now } = input;
  const from = input.lastSyncAt ?? now;
  let next: NextSync = { at: from + settings.maxIntervalMs, reason: 'steady', boundary: null };
  const boundary = nearestAhead(input.boundaries, now);
  if (boundary !== null) {
    const left = boundary.at - now;
    const gap = Math.max(settings.minIntervalMs, left / APPROACH_SHARE);
    if (left <= settings.minIntervalMs) {
      next = pickEarlier(next, {
        at: boundary.at + AFTER_BOUNDARY_MS,
        reason: 'after_boundary',
        boundary,
      });
    } else if (gap < settings.maxIntervalMs) {
      next = pickEarlier(next, { at: from + gap, reason: 'approaching', boundary });
    }
  }
  // Never in the past, never sooner than the shortest gap after the last sync.
  const earliest = Math.max(
    now,
    input.lastSyncAt === null ? now : input.lastSyncAt + settings.minIntervalMs,
  );
  if (next.at < earliest) next = { ...next, at: earliest };
  if (input.rateLimitedUntil !== null && input.rateLimitedUntil > next.at) {
    next = { at: input.rateLimitedUntil, reason: 'rate_limited', boundary: null };
  }
  const budgetAt = budgetFreesAt(
    input.recent,
    input.callsPerSync,
    settings.dailyCallBudget,
    next.at,
  );
  if (budgetAt > next.at) next = { at: budgetAt, reason: 'budget', boundary: null };
  return next;
}

/**
 * The first instant at or after `at` when the calls of the 24 hours before it, plus `cost`, fit
 * the budget: the oldest syncs age out one by one until they do.
 */
export function budgetFreesAt(
  recent: readonly SyncSpend[],
  cost: number,
  budget: number,
  at: Instant,
): Instant {
  const window = recent.filter((s) => s.at > at - DAY).sort((a, b) => a.at - b.at);
  let spent = window.reduce((sum, s) => sum + s.calls, 0);
  let freesAt = at;
  for (const spend of window) {
    if (spent + cost <= budget) break;
    spent -= spend.calls;
    freesAt = spend.at + DAY;
  }
  return freesAt;
}

function nearestAhead(boundaries: readonly Boundary[], now: Instant): Boundary | null {
  let nearest: Boundary | null = null;
  for (const b of boundaries) {
    if (b.at > now && (nearest === null || b.at < nearest.at)) nearest = b;
  }
  return nearest;
}

function pickEarlier(a: NextSync, b: NextSync): NextSync {
  return b.at < a.at ? b : a;
}

/** Every reason, for pre-initialised metrics and exhaustive tables. */
export const CADENCE_REASONS: readonly CadenceReason[] = [
  'boot',
  'slot',
  'steady',
  'approaching',
  'after_boundary',
  'rate_limited',
  'budget',
];

/**
 * The first instant at or after `now` that falls on this device's slot: `phaseMs` into each
 * `intervalMs` of the epoch. Slots are fixed on the time line, not on when the device started,
 * so a fleet keeps its spread whatever happens to it together.
 */
export function slotAtOrAfter(now: Instant, phaseMs: number, intervalMs: number): Instant {
  if (intervalMs <= 0) return now;
  const into = (((now - phaseMs) % intervalMs) + intervalMs) % intervalMs;
  return into === 0 ? now : now + (intervalMs - into);
}
