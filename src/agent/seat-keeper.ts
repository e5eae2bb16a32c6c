import type { Boundary } from '../domain/cadence.js';
import {
  emptyLedger,
  floatingTimeoutMs,
  heldSeats,
  isResting,
  reconfirmAt,
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
import { licenseIdentity, type License } from '../domain/license.js';
import { MINUTE, SECOND, type Instant } from '../domain/time.js';
import type { UpstreamOutcome } from '../domain/upstream-outcome.js';
import { callWithRetry, type RetryDeps } from './call-with-retry.js';
import type { FloatingApi } from './floating-ports.js';
import type { LicenseApi, Logger, Ticker } from './ports.js';

/** How often the keeper looks at the ledger: a question after a release is acted on this soon. */
export const SEAT_TICK_MS = 15 * SECOND;
/** After a re-confirm that did not get through, the next try waits this long (or less, near the timeout). */
const RETRY_MS = MINUTE;

export type ReleaseResult = 'released' | 'failed';

/** What the keeper reports; prom-client implements it. */
export interface SeatMetrics {
  seatsHeld(count: number): void;
  released(result: ReleaseResult): void;
}

export interface SeatKeeperDeps extends RetryDeps {
  readonly ticker: Ticker;
  readonly log: Logger;
  readonly seatMetrics: SeatMetrics;
  /** A whole sync, for what one feature check cannot settle (a seat lost, a licence's own seat). */
  readonly refresh: () => void;
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

/**
 * Keeps the device's floating seats: learns of seats taken from the checks it sees (syncs' and
 * its own), re-confirms a used seat before its timeout ends, gives an idle one back early, and
 * every one back on stop. Questions from local applications arrive through `use`, which only
 * notes the code; the ledger takes them in on the next tick. Times in the ledger are monotonic,
 * so a wall clock set back neither holds a re-confirm off nor releases a seat early.
 */
export class SeatKeeper {
  private ledger: SeatLedger;
  private readonly asked = new Set<string>();
  private licenses: readonly License[] = [];
  private upstream: { api: LicenseApi; floating: FloatingApi } | null = null;
  private readonly busy = new Set<string>();
  private stopTicking: (() => void) | null = null;

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

  /** Wraps the License API so every check a sync makes keeps the ledger true. */
  observing(api: LicenseApi): LicenseApi {
    return {
      deviceLicenses: async (hardwareId, signal) => {
        const outcome = await api.deviceLicenses(hardwareId, signal);
        if (outcome.kind === 'genuine') this.licensesSeen(outcome.value);
        return outcome;
      },
      checkFeature: async (request, signal) => {
        const outcome = await api.checkFeature(request, signal);
        const ref = { licenseId: request.licenseId, feature: request.feature };
        this.checked(ref, forTheQuestion(outcome, ref.licenseId, ref.feature));
        return outcome;
      },
    };
  }

  /** For syncs: a seat given back for idleness is not checked again until someone asks. */
  resting(licenseId: number, feature: string): boolean {
    return isResting(this.ledger, { licenseId, feature });
  }

  /** Re-confirm instants for the adaptive cadence, on the wall clock. */
  boundaries(): Boundary[] {
    const offset = this.deps.clock.now() - this.deps.clock.monotonic();
    return seatBoundaries(this.takeInUse(), this.deps.clock.monotonic()).map((b) => ({
      ...b,
      at: b.at + offset,
    }));
  }

  seats(): SeatView[] {
    const offset = this.deps.clock.now() - this.deps.clock.monotonic();
    const wall = (at: number): Instant => at + offset;
    return [...this.takeInUse().seats.values()].map((seat) => ({
      licenseId: seat.licenseId,
      feature: seat.feature,
      state: seat.state,
      heldSince: seat.state === 'held' ? wall(seat.heldSince) : null,
      timeoutMinutes: seat.timeoutMs / MINUTE,
      lastUsedAt: wall(seat.lastUsedAt),
      nextReconfirmAt: seat.state === 'held' ? wall(reconfirmAt(seat)) : null,
    }));
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
    const license = this.licenses.find((l) => l.id === seat.licenseId);
    const who = license === undefined ? null : licenseIdentity(license);
    if (seat.feature === null || license === undefined || who === null || this.upstream === null) {
      // A licence's own seat is renewed by `device_licenses`, which a sync calls.
      this.update(seatRetryAt(this.ledger, seat, this.deps.clock.monotonic() + RETRY_MS));
      this.deps.refresh();
      return;
    }
    const { api } = this.upstream;
    const feature = seat.feature;
    const asked = await callWithRetry(
      this.deps,
      'check_license_feature',
      (s) =>
        api.checkFeature(
          {
            ...who,
            hardwareId: this.settings.hardwareId,
            product: license.productCode,
            feature,
            licenseId: license.id,
          },
          s,
        ),
      this.signal,
    ).catch(() => null);
    if (asked === null) return;
    const outcome = forTheQuestion(asked.outcome, seat.licenseId, feature);
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

  private async release(seat: Seat, signal: AbortSignal): Promise<boolean> {
    const license = this.licenses.find((l) => l.id === seat.licenseId);
    const who = license === undefined ? null : licenseIdentity(license);
    let ok = false;
    if (license !== undefined && who !== null && this.upstream !== null) {
      if (signal.aborted) return false;
      const outcome = await this.upstream.floating
        .release(
          {
            ...who,
            hardwareId: this.settings.hardwareId,
            product: license.productCode,
            licenseId: license.id,
            feature: seat.feature,
          },
          signal,
        )
        .catch(() => null);
      // Cut short by the stop (or its deadline): still held, as far as the agent can tell.
      if (outcome === null) {
        this.deps.log.warn(
          { feature: seat.feature, licenseId: seat.licenseId },
          'floating seat release cut short',
        );
        this.deps.seatMetrics.released('failed');
        return false;
      }
      ok = outcome.kind === 'genuine';
      if (!ok) {
        this.deps.log.warn(
          { feature: seat.feature, licenseId: seat.licenseId, outcome: outcome.kind },
          'floating seat release failed: the server frees it at its timeout',
        );
      }
    }
    this.deps.seatMetrics.released(ok ? 'released' : 'failed');
    this.update(seatReleased(this.ledger, seat, this.deps.clock.monotonic()));
    return ok;
  }

  private licensesSeen(licenses: readonly License[]): void {
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

  private checked(ref: SeatRef, outcome: UpstreamOutcome<unknown>): void {
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
    if (this.asked.size > 0) {
      this.update(seatsUsed(this.ledger, new Set(this.asked), this.deps.clock.monotonic()));
      this.asked.clear();
    }
    return this.ledger;
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

/** A signed grant of another feature or licence does not renew this seat (see sync-cycle). */
function forTheQuestion(
  outcome: UpstreamOutcome<{ readonly licenseId: number; readonly code: string }>,
  licenseId: number,
  feature: string,
): UpstreamOutcome<unknown> {
  if (outcome.kind !== 'genuine') return outcome;
  return outcome.value.licenseId === licenseId && outcome.value.code === feature
    ? outcome
    : { kind: 'not-genuine', reason: 'foreign_answer' };
}
