import type { Boundary } from '../domain/cadence.js';
import {
  emptyLedger,
  floatingTimeoutMs,
  heldSeats,
  isResting,
  seatActions,
  seatBoundaries,
  seatLost,
  seatReleased,
  seatKey,
  seatRetryAt,
  seatsUsed,
  seatTaken,
  type Seat,
  type SeatAction,
  type SeatLedger,
  type SeatRef,
} from '../domain/floating-seats.js';
import type { License } from '../domain/license.js';
import { MINUTE, SECOND } from '../domain/time.js';
import type { UpstreamOutcome } from '../domain/upstream-outcome.js';
import type { RetryDeps } from './call-with-retry.js';
import type { FloatingApi } from './floating-ports.js';
import type { LicenseApi, Logger, Ticker } from './ports.js';
import { checkSeat, observedApi, releaseSeat, seatOwner, type SeatListener } from './seat-calls.js';
import { seatViews, type SeatMetrics, type SeatView } from './seat-view.js';

/** How often the keeper looks at the ledger: a question after a release is acted on this soon. */
export const SEAT_TICK_MS = 15 * SECOND;
/** After a re-confirm that did not get through, the next try waits this long (or less, near the timeout). */
const RETRY_MS = MINUTE;

export interface SeatKeeperDeps extends RetryDeps {
  readonly ticker: Ticker;
  readonly log: Logger;
  readonly seatMetrics: SeatMetrics;
  /** A whole sync, for what one feature check cannot settle (a seat lost, a licence's own seat). */
  readonly refresh: () => void;
}

/**
 * Keeps the device's floating seats: learns of seats taken from the checks it sees (syncs' and
 * its own), re-confirms a used seat before its timeout ends, gives an idle one back early, and
 * every one back on stop. Questions from local applications arrive through `use`, which only
 * notes the code; the ledger takes them in on the next tick. Times in the ledger are monotonic,
 * so a wall clock set back neither holds a re-confirm off nor releases a seat early.
 */
export class SeatKeeper implements SeatListener {
  private ledger: SeatLedger;
  private readonly asked = new Set<string>();
  private askedAll = false;
  private licenses: readonly License[] = [];
  private upstream: { api: LicenseApi; floating: FloatingApi } | null = null;
  private readonly busy = new Set<string>();
  private stopTicking: (() => void) | null = null;
  private offset: number | null = null;

  constructor(
    private readonly deps: SeatKeeperDeps,
    private readonly settings: { readonly hardwareId: string; readonly idleReleaseMs: number },
    private readonly signal: AbortSignal,
  ) {
    this.ledger = emptyLedger(settings.idleReleaseMs);
  }

  /** The hot path: a local application asked about `feature`. */
  readonly use = (feature: string): void => {
    this.asked.add(feature);
  };

  /** A local application asked about every feature at once (OFREP bulk evaluation). */
  readonly useAll = (): void => {
    this.askedAll = true;
  };

  /** A reloaded configuration's idle time applies from the next tick. */
  reconfigure(idleReleaseMs: number): void {
    this.ledger = { ...this.ledger, idleReleaseMs };
  }

  /** The upstream the seats are checked and given back through; a reload replaces it. */
  connect(api: LicenseApi, floating: FloatingApi): void {
    this.upstream = { api, floating };
  }

  start(): void {
    if (this.stopTicking !== null) return;
    const task = this.deps.ticker.every(SEAT_TICK_MS, () => {
      this.tick().catch((error: unknown) => {
        this.deps.log.error({ err: error }, 'floating seat keeping crashed');
      });
    });
    this.stopTicking = () => {
      task.stop();
    };
    this.signal.addEventListener(
      'abort',
      () => {
        this.stopTimers();
      },
      { once: true },
    );
  }

  stopTimers(): void {
    this.stopTicking?.();
    this.stopTicking = null;
  }

  /** The License API for syncs: every check they make keeps the ledger true. */
  observing(api: LicenseApi): LicenseApi {
    return observedApi(api, this);
  }

  /** For syncs: a seat given back for idleness is not checked again until someone asks. */
  resting(licenseId: number, feature: string): boolean {
    return isResting(this.ledger, { licenseId, feature });
  }

  /** Re-confirm instants for the adaptive cadence, on the wall clock. */
  boundaries(): Boundary[] {
    const offset = this.wallOffset();
    return seatBoundaries(this.takeInUse(), this.deps.clock.monotonic()).map((b) => ({
      ...b,
      at: b.at + offset,
    }));
  }

  seats(): SeatView[] {
    return seatViews(this.takeInUse(), this.wallOffset());
  }

  /** One pass over the ledger: release, re-confirm or take again what is due now. */
  async tick(): Promise<void> {
    if (this.signal.aborted) return;
    const now = this.deps.clock.monotonic();
    const actions = seatActions(this.takeInUse(), now).filter((a) => !this.busy.has(keyOf(a)));
    await Promise.all(actions.map((action) => this.act(action)));
  }

  /**
   * Gives back every seat held, all at once, each bounded by `signal` (the stop deadline). Logs
   * what was given back and what was not: feature code and licence ID, never a key.
   */
  async releaseAll(signal: AbortSignal): Promise<{ released: SeatRef[]; failed: SeatRef[] }> {
    this.stopTimers();
    const held = heldSeats(this.ledger);
    const results = await Promise.all(
      held.map(async (seat) => ({ seat, ok: await this.release(seat, signal) })),
    );
    const refs = (ok: boolean) =>
      results
        .filter((r) => r.ok === ok)
        .map(({ seat }) => ({ licenseId: seat.licenseId, feature: seat.feature }));
    const released = refs(true);
    const failed = refs(false);
    if (held.length > 0) {
      this.deps.log.info({ released, failed }, 'floating seats given back on stop');
    }
    return { released, failed };
  }

  private async act(action: SeatAction): Promise<void> {
    const key = keyOf(action);
    this.busy.add(key);
    try {
      switch (action.kind) {
        case 'release':
          if (await this.release(action.seat, this.signal)) {
            this.deps.log.info(
              { feature: action.seat.feature, licenseId: action.seat.licenseId },
              'floating seat given back: no local application asked for it',
            );
          }
          return;
        case 'reconfirm':
        case 'retake':
          await this.confirm(action.seat);
          return;
        default: {
          const never: never = action;
          return never;
        }
      }
    } finally {
      this.busy.delete(key);
    }
  }

  /** Checks the one feature again, which renews (or takes again) its seat. */
  private async confirm(seat: Seat): Promise<void> {
    const owner = seatOwner(this.licenses, seat, this.settings.hardwareId);
    if (seat.feature === null || owner === null || this.upstream === null) {
      // A licence's own seat is renewed by `device_licenses`, which a sync calls.
      this.update(seatRetryAt(this.ledger, seat, this.deps.clock.monotonic() + RETRY_MS));
      this.deps.refresh();
      return;
    }
    const feature = seat.feature;
    const outcome = await checkSeat(this.deps, this.upstream.api, owner, feature, this.signal);
    if (outcome === null) return;
    this.checked({ licenseId: seat.licenseId, feature }, outcome);
    if (outcome.kind === 'refused') {
      // The decisions still say what the last sync learnt: a sync brings them up to date.
      this.deps.log.warn(
        { feature, licenseId: seat.licenseId, code: outcome.code },
        'floating seat could not be re-confirmed: syncing',
      );
      this.deps.refresh();
    } else if (outcome.kind !== 'genuine') {
      // Not reached, or not believed: tried again in a minute, or just before the seat lapses.
      const now = this.deps.clock.monotonic();
      const lapsesAt = seat.state === 'held' ? seat.renewedAt + seat.timeoutMs : now + RETRY_MS;
      const retryAt = Math.max(now + SEAT_TICK_MS, Math.min(now + RETRY_MS, lapsesAt));
      this.update(seatRetryAt(this.ledger, seat, retryAt));
    }
  }

  /** Whether the server took the seat back; the agent stops renewing it either way. */
  private async release(seat: Seat, signal: AbortSignal): Promise<boolean> {
    const owner = seatOwner(this.licenses, seat, this.settings.hardwareId);
    const about = { feature: seat.feature, licenseId: seat.licenseId };
    let ok = false;
    if (owner !== null && this.upstream !== null) {
      const outcome = await releaseSeat(this.upstream.floating, owner, seat.feature, signal);
      if (outcome === null) {
        // Cut short by the stop (or its deadline): still held, as far as the agent can tell.
        this.deps.log.warn(about, 'floating seat release cut short');
        this.deps.seatMetrics.released('failed');
        return false;
      }
      ok = outcome.kind === 'genuine';
      if (!ok) {
        this.deps.log.warn(
          { ...about, outcome: outcome.kind },
          'floating seat release failed: the server frees it at its timeout',
        );
      }
    }
    this.deps.seatMetrics.released(ok ? 'released' : 'failed');
    this.update(seatReleased(this.ledger, seat, this.deps.clock.monotonic()));
    return ok;
  }

  /** A genuine `device_licenses` answer: the licences seats belong to, and floating licences' own seats. */
  licensesSeen(licenses: readonly License[]): void {
    this.licenses = licenses;
    let ledger = this.ledger;
    const now = this.deps.clock.monotonic();
    for (const license of licenses) {
      if (!license.floating || !license.enabled || !license.active) continue;
      if (isResting(ledger, { licenseId: license.id, feature: null })) continue;
      ledger = seatTaken(
        ledger,
        {
          licenseId: license.id,
          feature: null,
          usedBy: license.features.map((f) => f.code),
          timeoutMs: floatingTimeoutMs(license.floatingTimeoutMinutes),
        },
        now,
      );
    }
    this.update(ledger);
  }

  /** How a check of a feature ended: a floating feature's seat taken or renewed, or lost. */
  checked(ref: SeatRef, outcome: UpstreamOutcome<unknown>): void {
    const license = this.licenses.find((l) => l.id === ref.licenseId);
    const feature = license?.features.find((f) => f.code === ref.feature);
    if (license === undefined || feature?.floating !== true) return;
    if (outcome.kind === 'genuine') {
      const timeoutMs = floatingTimeoutMs(
        feature.floatingTimeoutMinutes,
        license.floatingTimeoutMinutes,
      );
      const seat = { ...ref, usedBy: [feature.code], timeoutMs };
      this.update(seatTaken(this.ledger, seat, this.deps.clock.monotonic()));
    } else if (outcome.kind === 'refused') {
      this.update(seatLost(this.ledger, ref));
    }
  }

  /** The ledger with the questions asked since the last look taken in. */
  private takeInUse(): SeatLedger {
    if (this.askedAll) {
      for (const seat of this.ledger.seats.values())
        for (const code of seat.usedBy) this.asked.add(code);
      this.askedAll = false;
    }
    if (this.asked.size > 0) {
      this.update(seatsUsed(this.ledger, new Set(this.asked), this.deps.clock.monotonic()));
      this.asked.clear();
    }
    return this.ledger;
  }

  /**
   * Wall clock minus monotonic clock, to show ledger times as instants. Read afresh, it wavers by a
   * millisecond (the two are read apart, at different precisions); it is kept until the wall clock
   * is set, so that a seat's times read the same from one status to the next.
   */
  private wallOffset(): number {
    const fresh = this.deps.clock.now() - this.deps.clock.monotonic();
    if (this.offset === null || Math.abs(fresh - this.offset) > SECOND) this.offset = fresh;
    return this.offset;
  }

  private update(ledger: SeatLedger): void {
    if (ledger === this.ledger) return;
    this.ledger = ledger;
    this.deps.seatMetrics.seatsHeld(heldSeats(ledger).length);
  }
}

function keyOf(action: SeatAction): string {
  return seatKey(action.seat);
}
