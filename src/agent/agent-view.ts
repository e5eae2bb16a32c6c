import type { ActivationView } from './activator.js';
import type { NextSync } from '../domain/cadence.js';
import type { Decisions, FeatureDecision } from '../domain/decision.js';
import type { HardwareComponentName } from '../domain/hardware-id.js';
import type { MachineVerdict } from '../domain/machine-verdict.js';
import type { Instant } from '../domain/time.js';
import type { FailureReason } from '../domain/trust-timeline.js';
import type { LemStatus } from './lem-status.js';
import type { SeatView } from './seat-view.js';
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
    /** What the machine is and what says so, for `prevent_vm` licences. */
    readonly machine: MachineVerdict;
  };
  readonly upstream: { readonly kind: 'sandbox' | 'licensespring'; readonly baseUrl: string };
  readonly sync: {
    /** The operator's cron schedule; null when the adaptive cadence decides. */
    readonly schedule: string | null;
    readonly splaySeconds: number;
    /** When the next sync starts and why then; null while one runs under the cadence, or stopped. */
    readonly next: NextSync | null;
    /** A sync is in flight: a refresh asked for now waits for it, then syncs again. */
    readonly running: boolean;
    readonly last: SyncReport | null;
  };
  readonly offline: TrustView & {
    readonly lastFailure: FailureReason | null;
    readonly clockBehindMs: number | null;
  };
  /** How saving the state goes: a save that fails shows here and in metrics, not only in logs. */
  readonly stateSave: StateSaveStatus;
  /** What became of the state file at start. */
  readonly stateFile: 'restored' | 'absent' | `refused: ${StateLoadFailure}`;
  readonly decisions: Decisions;
  /** Litmus Edge Manager, apart from LicenseSpring; absent when LEM is not configured. */
  readonly lem?: LemStatus;
  /** The floating seats this device holds (or gave back for idleness); absent in bare views. */
  readonly floating?: { readonly seats: readonly SeatView[] };
  /** The keys `licensespring.activate` names and where each stands; absent when none is named. */
  readonly activation?: readonly ActivationView[];
}

export interface StateSaveStatus {
  /** When this run last saved the state; null before its first save. */
  readonly lastOkAt: Instant | null;
  /** The latest save's failure, while the latest save is a failure; null once one succeeds. */
  readonly lastError: { readonly at: Instant; readonly code: string } | null;
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
