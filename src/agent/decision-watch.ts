import { featureDecision, type Decisions, type FeatureDecision } from '../domain/decision.js';
import { decisionChanges, type DecisionChange } from '../domain/decision-changes.js';
import type { Instant } from '../domain/time.js';
import type { Logger, Ticker } from './ports.js';

/** What the watch reads of the decision board. */
export interface WatchedBoard {
  decisions(): Decisions;
  feature(code: string): FeatureDecision;
  trustedNow(): Instant;
  nextChangeAt(): Instant;
  onChange(listener: () => void): () => void;
}

export type ChangeListener = (changes: readonly DecisionChange[]) => void;

/**
 * Node's timers hold at most 2^31-1 ms (about 24.8 days): a licence that ends in a year is looked
 * at again well before, and the wait planned anew.
 */
const LONGEST_WAIT_MS = 6 * 60 * 60 * 1000;

/**
 * Tells its listeners when a feature's answer changes: after every change the board hears of (a
 * sync, a restore, a reload, the clock observed), and at the instant a decision changes by time
 * alone (a grace ends, a licence or feature expires) with no sync in between, waited for on the
 * monotonic ticker so that a wall clock set back does not hold the change off.
 */
export class DecisionWatch {
  private last: Decisions;
  private readonly listeners = new Set<ChangeListener>();
  private timer: { stop(): void } | null = null;
  private readonly unwatch: () => void;

  constructor(
    private readonly board: WatchedBoard,
    private readonly ticker: Ticker,
    private readonly log: Logger,
  ) {
    this.last = board.decisions();
    this.unwatch = board.onChange(() => {
      this.check();
    });
    this.plan();
  }

  /** Returns the function that stops the listening. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.unwatch();
    this.timer?.stop();
    this.timer = null;
    this.listeners.clear();
  }

  private check(): void {
    const now = this.board.decisions();
    if (now !== this.last) {
      const changes = decisionChanges(this.last, now, (decisions, code) =>
        // The board's policy decides an unlisted code now; before, it decided it the same way.
        decisions === now ? this.board.feature(code) : featureDecision(decisions, code),
      );
      this.last = now;
      if (changes.length > 0) this.emit(changes);
    }
    this.plan();
  }

  private emit(changes: readonly DecisionChange[]): void {
    for (const listener of this.listeners) {
      // A listener that fails must not keep the others, or the sync that changed the board, from
      // going on.
      try {
        listener(changes);
      } catch (error) {
        this.log.error({ err: error }, 'a decision-change listener failed');
      }
    }
  }

  private plan(): void {
    this.timer?.stop();
    this.timer = null;
    const at = this.board.nextChangeAt();
    if (at === Infinity) return;
    const waitMs = Math.min(LONGEST_WAIT_MS, Math.max(1, at - this.board.trustedNow()));
    const timer = this.ticker.every(waitMs, () => {
      timer.stop();
      if (this.timer === timer) this.timer = null;
      this.check();
    });
    this.timer = timer;
  }
}
