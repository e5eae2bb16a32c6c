import {
  nextSync,
  slotAtOrAfter,
  type Boundary,
  type CadenceSettings,
  type NextSync,
  type SyncSpend,
} from '../domain/cadence.js';
import type { Instant } from '../domain/time.js';

const DAY = 24 * 60 * 60 * 1000;

/** How one sync went, as far as the cadence cares: what it cost and whether the server said 429. */
export interface SyncCost {
  readonly startedAt: Instant;
  /** Every attempt at every call: what the company's rate limit was charged. */
  readonly calls: number;
  /** Set when a call was answered 429: the server's Retry-After, or null when it gave none. */
  readonly rateLimited: { readonly retryAfterMs: number | null } | null;
  readonly finishedAt: Instant;
}

/**
 * The adaptive cadence's memory for one device: when it last synced, what its syncs of the last
 * day cost, and whether the server asked it to wait. `plan` asks the pure `nextSync` for the next
 * time; the sync loop and the fleet simulation (bench/fleet) both drive this same object.
 */
export class SyncPlanner {
  private recent: SyncSpend[] = [];
  private lastSyncAt: Instant | null = null;
  private rateLimitedUntil: Instant | null = null;
  private lastCalls = 1;

  /** @param phaseMs this device's slot within `settings.maxIntervalMs` (its splay). */
  constructor(
    private settings: CadenceSettings,
    private readonly phaseMs: number,
  ) {}

  reconfigure(settings: CadenceSettings): void {
    this.settings = settings;
  }

  /**
   * The first sync after start. With no answer to stand on, now; with saved answers that still
   * decide, at this device's slot, so that a fleet powered on together spreads its calls over
   * the longest gap instead of spending a day's rate limit in its first second.
   */
  first(now: Instant, hasUsableAnswers: boolean): NextSync {
    if (!hasUsableAnswers) return { at: now, reason: 'boot', boundary: null };
    const at = slotAtOrAfter(now, this.phaseMs, this.settings.maxIntervalMs);
    return { at, reason: 'slot', boundary: null };
  }

  /** Notes a finished sync: its cost, and a 429's hold on the whole device. */
  record(cost: SyncCost): void {
    this.lastSyncAt = cost.startedAt;
    this.lastCalls = Math.max(1, cost.calls);
    this.recent = this.recent.filter((s) => s.at > cost.finishedAt - DAY);
    this.recent.push({ at: cost.startedAt, calls: cost.calls });
    if (cost.rateLimited !== null) {
      // With no Retry-After, the shortest gap: the server is over its limit for the whole company.
      const waitMs = cost.rateLimited.retryAfterMs ?? this.settings.minIntervalMs;
      // The fleet was told the same Retry-After: each device comes back at its own offset within
      // the shortest gap after it, or they would all be refused together again.
      const spreadMs = this.phaseMs % this.settings.minIntervalMs;
      this.rateLimitedUntil = cost.finishedAt + waitMs + spreadMs;
    }
  }

  /**
   * The next sync after the last recorded one, for the boundaries the device relies on now. A
   * device with no answer to stand on (`hasUsableAnswers` false) tries again every shortest gap,
   * at its own offset within it: a fresh fleet refused at power-on must not wait an hour, nor
   * come back all in one second.
   */
  plan(now: Instant, boundaries: readonly Boundary[], hasUsableAnswers = true): NextSync {
    const hold =
      this.rateLimitedUntil !== null && this.rateLimitedUntil > now ? this.rateLimitedUntil : null;
    const settings = hasUsableAnswers
      ? this.settings
      : {
          ...this.settings,
          maxIntervalMs: this.settings.minIntervalMs + (this.phaseMs % this.settings.minIntervalMs),
        };
    const next = nextSync(
      {
        now,
        lastSyncAt: this.lastSyncAt,
        boundaries,
        recent: this.recent,
        // The next sync will likely cost what the last did: the licences rarely change.
        callsPerSync: this.lastCalls,
        rateLimitedUntil: hold,
      },
      settings,
    );
    return !hasUsableAnswers && next.reason === 'steady' ? { ...next, reason: 'boot' } : next;
  }

  /** Calls spent in the 24 hours before `now`. */
  callsInLastDay(now: Instant): number {
    return this.recent.filter((s) => s.at > now - DAY).reduce((sum, s) => sum + s.calls, 0);
  }
}
