import type { Evidence } from '../domain/evidence.js';
import type { FeatureGrant, License } from '../domain/license.js';
import type { RefusalCode } from '../domain/refusal.js';
import type { Instant } from '../domain/time.js';
import type { TrustTimeline } from '../domain/trust-timeline.js';

/** One answer as kept on disk: the evidence of a genuine one, or the code of a refusal. */
export type SavedAnswer =
  | { readonly kind: 'genuine'; readonly evidence: Evidence; readonly verifiedAt: Instant }
  | { readonly kind: 'refused'; readonly code: RefusalCode; readonly verifiedAt: Instant };

export interface SavedFeatureCheck {
  readonly licenseId: number;
  readonly code: string;
  readonly answer: SavedAnswer;
}

/** Everything the agent needs to answer correctly after a restart with the network down. */
export interface SavedState {
  /** The device the state belongs to; another device's state is refused. */
  readonly hardwareId: string;
  readonly deviceLicenses: SavedAnswer | null;
  readonly featureChecks: readonly SavedFeatureCheck[];
  readonly trust: TrustTimeline;
  /**
   * The boot the state was saved in (null when it could not be read): the trust timeline's
   * monotonic reading means something only within that boot.
   */
  readonly bootId: string | null;
  readonly savedAt: Instant;
}

/** Facts of the running boot. */
export interface BootFacts {
  /**
   * The kernel's ID of this boot, or null when it cannot be read (a unit with ProcSubset=pid
   * hides /proc/sys): the agent then cannot tell this boot from another.
   */
  bootId(): Promise<string | null>;
}

/** Why a state file was not used. Stable codes: they are metric labels. */
export type StateLoadFailure =
  | 'unreadable'
  | 'corrupt'
  | 'unsupported_version'
  | 'foreign'
  | 'tampered'
  | 'bad_signature'
  | 'wrong_shape';

export type StateLoad =
  | { readonly kind: 'absent' }
  | { readonly kind: 'loaded'; readonly state: SavedState }
  | { readonly kind: 'refused'; readonly reason: StateLoadFailure; readonly detail: string };

/**
 * Durable, tamper-evident state. `save` resolves only once the state would survive a power cut;
 * `load` never throws for what it finds on disk: it refuses it with a reason.
 */
export interface StateStore {
  load(hardwareId: string): Promise<StateLoad>;
  save(state: SavedState): Promise<void>;
}

/** Why stored evidence was not believed again. */
export type RereadFailure = 'bad_signature' | 'wrong_shape';

export type Reread<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: RereadFailure };

/** Verifies and parses kept evidence exactly as a fresh answer would be: same key, same parser. */
export interface EvidenceReader {
  deviceLicenses(evidence: Evidence): Reread<readonly License[]>;
  featureCheck(evidence: Evidence): Reread<FeatureGrant>;
}
