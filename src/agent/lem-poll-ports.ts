import type { LemPart, LemPartOutcome, LemSnapshot } from '../domain/lem-snapshot.js';
import type { Instant } from '../domain/time.js';

/** What the LEM poll reports to Prometheus; the pool's gauges are drawn from the snapshot. */
export interface LemMetrics {
  polled(part: LemPart, outcome: LemPartOutcome): void;
  /** Brings the gauges to the snapshot. */
  show(snapshot: LemSnapshot): void;
}

export type LemStoreLoad =
  | { readonly kind: 'absent' }
  | { readonly kind: 'loaded'; readonly snapshot: LemSnapshot; readonly savedAt: Instant }
  | { readonly kind: 'refused'; readonly reason: string; readonly detail: string };

/** The last good LEM answers on disk, so that status survives a restart offline. */
export interface LemStore {
  load(hardwareId: string): Promise<LemStoreLoad>;
  /** Durable once it resolves; rejects when it could not be saved. */
  save(snapshot: LemSnapshot, hardwareId: string, at: Instant): Promise<void>;
}
