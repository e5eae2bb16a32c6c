import type { SeatRef } from '../domain/floating-seats.js';
import { licenseIdentity, type License } from '../domain/license.js';
import type { UpstreamOutcome } from '../domain/upstream-outcome.js';
import { callWithRetry, type RetryDeps } from './call-with-retry.js';
import type { FloatingApi } from './floating-ports.js';
import type { LicenseApi } from './ports.js';

/** The licence a seat belongs to, as a request names it; null when the agent no longer knows it. */
export function seatOwner(licenses: readonly License[], seat: SeatRef, hardwareId: string) {
  const license = licenses.find((l) => l.id === seat.licenseId);
  const who = license === undefined ? null : licenseIdentity(license);
  if (license === undefined || who === null) return null;
  return { ...who, hardwareId, product: license.productCode, licenseId: license.id };
}

export type SeatOwner = NonNullable<ReturnType<typeof seatOwner>>;

/**
 * `check_license_feature` for one feature, which renews (or takes again) its seat, retried as a
 * sync's checks are. Null when the agent stops meanwhile.
 */
export async function checkSeat(
  deps: RetryDeps,
  api: LicenseApi,
  owner: SeatOwner,
  feature: string,
  signal: AbortSignal,
): Promise<UpstreamOutcome<unknown> | null> {
  const asked = await callWithRetry(
    deps,
    'check_license_feature',
    (s) => api.checkFeature({ ...owner, feature }, s),
    signal,
  ).catch(() => null);
  return asked === null ? null : forTheQuestion(asked.outcome, owner.licenseId, feature);
}

/** Gives the seat back; null when cut short (the stop, or its deadline). */
export async function releaseSeat(
  floating: FloatingApi,
  owner: SeatOwner,
  feature: string | null,
  signal: AbortSignal,
): Promise<UpstreamOutcome<null> | null> {
  if (signal.aborted) return null;
  return floating.release({ ...owner, feature }, signal).catch(() => null);
}

/** A signed grant of another feature or licence does not renew this seat (see sync-cycle). */
export function forTheQuestion(
  outcome: UpstreamOutcome<{ readonly licenseId: number; readonly code: string }>,
  licenseId: number,
  feature: string,
): UpstreamOutcome<unknown> {
  if (outcome.kind !== 'genuine') return outcome;
  return outcome.value.licenseId === licenseId && outcome.value.code === feature
    ? outcome
    : { kind: 'not-genuine', reason: 'foreign_answer' };
}

/** What hears of the License API answers a sync gets. */
export interface SeatListener {
  licensesSeen(licenses: readonly License[]): void;
  checked(ref: SeatRef, outcome: UpstreamOutcome<unknown>): void;
}

/** The License API, with every answer a sync gets told to `listener` too. */
export function observedApi(api: LicenseApi, listener: SeatListener): LicenseApi {
  return {
    deviceLicenses: async (hardwareId, signal) => {
      const outcome = await api.deviceLicenses(hardwareId, signal);
      if (outcome.kind === 'genuine') listener.licensesSeen(outcome.value);
      return outcome;
    },
    checkFeature: async (request, signal) => {
      const outcome = await api.checkFeature(request, signal);
      const ref = { licenseId: request.licenseId, feature: request.feature };
      listener.checked(ref, forTheQuestion(outcome, ref.licenseId, ref.feature));
      return outcome;
    },
  };
}
