import type { UpstreamOutcome } from '../domain/upstream-outcome.js';

/** Whose seat: the licence by its key, or a user-based licence by its user. */
export type FloatingReleaseRequest = {
  readonly hardwareId: string;
  readonly product: string;
  readonly licenseId: number;
  /** The floating feature whose seat is given back; null: the floating licence's own seat. */
  readonly feature: string | null;
} & ({ readonly licenseKey: string } | { readonly username: string });

/**
 * Gives floating seats back (`POST floating/feature_release`, `POST floating/release`). One
 * attempt per call; the answer is authenticated and verified like every License API answer.
 */
export interface FloatingApi {
  release(request: FloatingReleaseRequest, signal: AbortSignal): Promise<UpstreamOutcome<null>>;
}

/**
 * Counts one question a local application asked about a feature, so idle seats can be told from
 * used ones. On the hot path of every answer: it must cost no more than a `Set.add`.
 */
export type SeatUse = (feature: string) => void;
