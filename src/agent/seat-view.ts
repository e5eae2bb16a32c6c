import { reconfirmAt, type Seat, type SeatLedger } from '../domain/floating-seats.js';
import { MINUTE, type Instant } from '../domain/time.js';

export type ReleaseResult = 'released' | 'failed';

/** What the keeper reports; prom-client implements it. */
export interface SeatMetrics {
  seatsHeld(count: number): void;
  released(result: ReleaseResult): void;
}

/** One seat as `/v1/status` shows it; instants on the wall clock. */
export interface SeatView {
  readonly licenseId: number;
  readonly feature: string | null;
  readonly state: Seat['state'];
  readonly heldSince: Instant | null;
  readonly timeoutMinutes: number;
  readonly lastUsedAt: Instant;
  readonly nextReconfirmAt: Instant | null;
}

/** The ledger's seats, their monotonic times moved onto the wall clock by `offset`. */
export function seatViews(ledger: SeatLedger, offset: number): SeatView[] {
  const wall = (at: number): Instant => at + offset;
  return [...ledger.seats.values()].map((seat) => ({
    licenseId: seat.licenseId,
    feature: seat.feature,
    state: seat.state,
    heldSince: seat.state === 'held' ? wall(seat.heldSince) : null,
    timeoutMinutes: seat.timeoutMs / MINUTE,
    lastUsedAt: wall(seat.lastUsedAt),
    nextReconfirmAt: seat.state === 'held' ? wall(reconfirmAt(seat)) : null,
  }));
}
