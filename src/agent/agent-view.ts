import type { Decisions, FeatureDecision } from '../domain/decision.js';
import type { HardwareComponentName } from '../domain/hardware-id.js';
import type { FailureReason } from '../domain/trust-timeline.js';
import type { TrustView } from './ports.js';
import type { StateLoadFailure } from './state-ports.js';
import type { SyncReport } from './sync-cycle.js';

/** What the agent knows about itself, for the status API, the CLI and the status page. */
export interface AgentStatus {
  readonly version: string;
  readonly ready: boolean;
  readonly device: {
    readonly hardwareId: string;
    readonly source: 'composed' | 'override';
    readonly changedComponents: readonly HardwareComponentName[];
  };
  readonly upstream: { readonly kind: 'sandbox' | 'licensespring'; readonly baseUrl: string };
  readonly sync: {
    readonly schedule: string;
    readonly splaySeconds: number;
    /** A sync is in flight: a refresh asked for now waits for it, then syncs again. */
    readonly running: boolean;
    readonly last: SyncReport | null;
  };
  readonly offline: TrustView & {
    readonly lastFailure: FailureReason | null;
    readonly clockBehindMs: number | null;
  };
  /** What became of the state file at start. */
  readonly stateFile: 'restored' | 'absent' | `refused: ${StateLoadFailure}`;
  readonly decisions: Decisions;
}

/** The read side the local API serves from. */
export interface AgentView {
  ready(): boolean;
  decisions(): Decisions;
  feature(code: string): FeatureDecision;
  /** The feature's decision if the decisions list it: a licence carries it, or config names it. */
  listedFeature(code: string): FeatureDecision | undefined;
  status(): AgentStatus;
}
