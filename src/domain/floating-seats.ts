import type { Boundary } from './cadence.js';
import { MINUTE, type Instant } from './time.js';

/**
 * The floating seats this device holds at the licence server. A `check_license_feature` on a
 * floating feature takes a seat, held until released or until `floating_timeout` minutes pass
 * without a new check (api/README.md, "Calls beyond the documents"); a floating licence's seat
 * is the licence's own (`feature: null`).
 */
export interface SeatRef {
  readonly licenseId: number;
  /** The floating feature's code; null for the seat of a floating licence. */
  readonly feature: string | null;
}

interface SeatFacts extends SeatRef {
  /** Feature codes whose questions count as use: the feature, or every feature of the licence. */
  readonly usedBy: readonly string[];
  readonly timeoutMs: number;
  /** When a local application last asked about the seat's feature(s). */
  readonly lastUsedAt: Instant;
  /** A check that did not get through: the next try waits until then. */
  readonly retryAt: Instant | null;
}

export type Seat =
  | (SeatFacts & {
      readonly state: 'held';
      readonly heldSince: Instant;
      /** The last genuine answer that took or renewed the seat: its timeout runs from here. */
      readonly renewedAt: Instant;
    })
  /** Given back after `idleReleaseMs` without a question; taken again when one comes. */
  | (SeatFacts & { readonly state: 'released'; readonly releasedAt: Instant });

export interface SeatLedger {
  /** A seat no local application asked about for this long is given back early. */
  readonly idleReleaseMs: number;
  readonly seats: ReadonlyMap<string, Seat>;
}

/** What the server needs re-confirmed, given back, or taken again, now. */
export type SeatAction =
  | { readonly kind: 'reconfirm'; readonly seat: Seat }
  | { readonly kind: 'release'; readonly seat: Seat }
  | { readonly kind: 'retake'; readonly seat: Seat };

/** The vendor's examples' `floating_timeout`; used when neither the feature nor its licence says. */
export const DEFAULT_FLOATING_TIMEOUT_MINUTES = 120;
/** A seat is re-confirmed this far into its timeout: the rest is room for retries and a slow server. */
export const RECONFIRM_SHARE = 0.75;

export function emptyLedger(idleReleaseMs: number): SeatLedger {
  return { idleReleaseMs, seats: new Map() };
}

export function seatKey(ref: SeatRef): string {
  return `${String(ref.licenseId)}:${ref.feature ?? ''}`;
}

/**
 * A genuine answer took or renewed the seat. A seat new to the ledger counts as used now: the
 * sync that took it did so for the applications about to ask.
 */
export function seatTaken(
  ledger: SeatLedger,
  seat: SeatRef & { readonly usedBy: readonly string[]; readonly timeoutMs: number },
  now: Instant,
): SeatLedger {
  const key = seatKey(seat);
  const known = ledger.seats.get(key);
  const held: Seat = {
    licenseId: seat.licenseId,
    feature: seat.feature,
    usedBy: seat.usedBy,
    timeoutMs: seat.timeoutMs,
    lastUsedAt: known === undefined ? now : known.lastUsedAt,
    state: 'held',
    heldSince: known?.state === 'held' ? known.heldSince : now,
    renewedAt: now,
    retryAt: null,
  };
  return withSeat(ledger, key, held);
}

/** The server said no (no free slot, licence gone): the device holds no seat. */
export function seatLost(ledger: SeatLedger, ref: SeatRef): SeatLedger {
  const key = seatKey(ref);
  if (!ledger.seats.has(key)) return ledger;
  const seats = new Map(ledger.seats);
  seats.delete(key);
  return { ...ledger, seats };
}

/**
 * The seat was given back (or the release was tried and failed: the agent stops renewing it
 * either way, so the server frees it at its timeout at the latest).
 */
export function seatReleased(ledger: SeatLedger, ref: SeatRef, now: Instant): SeatLedger {
  const key = seatKey(ref);
  const seat = ledger.seats.get(key);
  if (seat === undefined) return ledger;
  const { usedBy, timeoutMs, lastUsedAt, licenseId, feature } = seat;
  return withSeat(ledger, key, {
    ...{ licenseId, feature, usedBy, timeoutMs, lastUsedAt, retryAt: null },
    state: 'released',
    releasedAt: now,
  });
}

/** A re-confirm (or a retake) did not get through; the seat is tried again at `retryAt`. */
export function seatRetryAt(ledger: SeatLedger, ref: SeatRef, retryAt: Instant): SeatLedger {
  const key = seatKey(ref);
  const seat = ledger.seats.get(key);
  if (seat === undefined) return ledger;
  return withSeat(ledger, key, { ...seat, retryAt });
}

/** Local applications asked about these feature codes at `now`. */
export function seatsUsed(
  ledger: SeatLedger,
  codes: ReadonlySet<string>,
  now: Instant,
): SeatLedger {
  if (codes.size === 0) return ledger;
  let seats: Map<string, Seat> | null = null;
  for (const [key, seat] of ledger.seats) {
    if (!seat.usedBy.some((code) => codes.has(code))) continue;
    seats ??= new Map(ledger.seats);
    seats.set(key, { ...seat, lastUsedAt: Math.max(seat.lastUsedAt, now) });
  }
  return seats === null ? ledger : { ...ledger, seats };
}

/** Whether syncs should leave the seat alone: given back and not asked about since. */
export function isResting(ledger: SeatLedger, ref: SeatRef): boolean {
  const seat = ledger.seats.get(seatKey(ref));
  return seat?.state === 'released' && seat.lastUsedAt < seat.releasedAt;
}

/** When a held seat is next re-confirmed: 3/4 into its timeout, or its retry after a failure. */
export function reconfirmAt(seat: Extract<Seat, { state: 'held' }>): Instant {
  return seat.retryAt ?? seat.renewedAt + seat.timeoutMs * RECONFIRM_SHARE;
}

/** What is due now: idle seats given back, used ones re-confirmed, released ones asked for again. */
export function seatActions(ledger: SeatLedger, now: Instant): SeatAction[] {
  const actions: SeatAction[] = [];
  for (const seat of ledger.seats.values()) {
    switch (seat.state) {
      case 'held':
        if (now - seat.lastUsedAt >= ledger.idleReleaseMs) actions.push({ kind: 'release', seat });
        else if (now >= reconfirmAt(seat)) actions.push({ kind: 'reconfirm', seat });
        break;
      case 'released':
        // An idle seat was last used long before its release: a use at the release's own
        // millisecond came after it.
        if (seat.lastUsedAt >= seat.releasedAt && now >= (seat.retryAt ?? -Infinity))
          actions.push({ kind: 'retake', seat });
        break;
      default: {
        const never: never = seat;
        return never;
      }
    }
  }
  return actions;
}

/**
 * The instants the adaptive cadence should sync by: each held seat's re-confirm, where the seat
 * will still be in use then (one that goes idle first is given back instead).
 */
export function seatBoundaries(ledger: SeatLedger, now: Instant): Boundary[] {
  const boundaries: Boundary[] = [];
  for (const seat of ledger.seats.values()) {
    if (seat.state !== 'held') continue;
    const at = reconfirmAt(seat);
    if (at < seat.lastUsedAt + ledger.idleReleaseMs && now - seat.lastUsedAt < ledger.idleReleaseMs)
      boundaries.push({ at, kind: 'floating_timeout' });
  }
  return boundaries.sort((a, b) => a.at - b.at);
}

export function heldSeats(ledger: SeatLedger): Extract<Seat, { state: 'held' }>[] {
  return [...ledger.seats.values()].filter((s) => s.state === 'held');
}

/** Minutes as the vendor gives them (feature first, then licence), or the vendor's usual value. */
export function floatingTimeoutMs(...minutes: readonly (number | null | undefined)[]): number {
  const given = minutes.find((m): m is number => typeof m === 'number' && m > 0);
  return (given ?? DEFAULT_FLOATING_TIMEOUT_MINUTES) * MINUTE;
}

function withSeat(ledger: SeatLedger, key: string, seat: Seat): SeatLedger {
  const seats = new Map(ledger.seats);
  seats.set(key, seat);
  return { ...ledger, seats };
}
