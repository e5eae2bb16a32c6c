/**
 * The agent's answers as the client hands them out. They mirror the local API's JSON
 * (`GET /v1/features/{code}`, `GET /v1/status`); instants are ISO 8601 UTC text.
 *
 * Strings that name a state or a reason are open unions: the agent on a device may be newer than
 * the application that asks it, so a value this client does not know yet is still a valid answer.
 * Decide with `allowed`; show `state` and `reason`.
 */

/** Keeps editor completion for the known values while accepting any other string. */
type Open<Known extends string> = Known | (string & Record<never, never>);

export type DecisionState = Open<'active' | 'grace' | 'expired' | 'denied' | 'unknown'>;

export type DecisionReason = Open<
  | 'licensed'
  | 'license_grace_period'
  | 'offline_grace'
  | 'offline_grace_expired'
  | 'license_expired'
  | 'feature_expired'
  | 'not_licensed'
  | 'no_genuine_answer'
  | 'vm_not_allowed'
  | 'unknown_product'
  | 'license_not_found'
  | 'license_disabled'
  | 'license_not_active'
  | 'device_not_found'
  | 'device_blacklisted'
  | 'feature_not_on_license'
  | 'floating_slots_exhausted'
  | 'refused_other'
  // `lem:<name>` questions, answered from Litmus Edge Manager's licence features.
  | 'lem_licensed'
  | 'lem_feature_disabled'
  | 'lem_feature_expired'
  | 'lem_feature_unknown'
  | 'no_lem_answer'
>;

/** What every decision (device, licence, feature) carries. */
export interface DecisionFields {
  readonly allowed: boolean;
  readonly state: DecisionState;
  readonly reason: DecisionReason;
  /** When the entitlement ends if nothing changes; null when it does not expire or is not held. */
  readonly expiresAt: string | null;
  /** End of the licence's own grace period, while in it. */
  readonly graceEndsAt: string | null;
  /** When the licence server last genuinely confirmed what the decision rests on. */
  readonly lastVerifiedAt: string | null;
}

/** `GET /v1/features/{code}`: one feature's decision and its why. */
export interface FeatureAnswer extends DecisionFields {
  readonly code: string;
  /** The licence the decision comes from; null when no licence carries the feature. */
  readonly licenseId: number | null;
  /**
   * Present only while the agent cannot decide (`state: 'unknown'`): the fail policy configured
   * for the feature (`policy.whenUnknown`), which set `allowed`.
   */
  readonly policy?: Open<'fail-closed' | 'fail-open'>;
}

export interface LicenseAnswer extends DecisionFields {
  readonly licenseId: number;
  readonly product: string;
  readonly type: string;
  readonly trial: boolean;
  readonly features: readonly string[];
}

export interface SyncAnswer {
  readonly result: Open<'ok' | 'partial' | 'failed'>;
  readonly finishedAt: string | null;
  /** `genuine`, `refused`, `rejected`, or why not: `timeout`, `bad_signature`, … */
  readonly deviceLicenses: string;
  readonly featureChecks: readonly {
    readonly licenseId: number;
    readonly feature: string;
    readonly outcome: string;
  }[];
}

/**
 * `POST /v1/refresh`: the sync the refresh ran (or joined), once it has finished. `failed` is an
 * answer too: the agent was asked and synced, and the licence server could not be reached or
 * trusted (`deviceLicenses` says why); the agent keeps answering from what it had.
 */
export interface RefreshAnswer {
  readonly result: Open<'ok' | 'partial' | 'failed'>;
  readonly finishedAt: string;
  /** `genuine`, `refused`, `rejected`, or why not: `timeout`, `bad_signature`, … */
  readonly deviceLicenses: string;
}

/** `GET /v1/status`: the device, its licences and features, the last sync, the offline state. */
export interface StatusAnswer {
  readonly version: string;
  readonly ready: boolean;
  readonly device: DecisionFields & {
    readonly hardwareId: string;
    readonly source: Open<'composed' | 'override'>;
    readonly changedComponents: readonly string[];
    /** `physical`, `virtual_machine`, `container` or `unknown`, what says so, and whether config set it. */
    readonly machine: {
      readonly kind: Open<'physical' | 'virtual_machine' | 'container' | 'unknown'>;
      readonly basis: readonly string[];
      readonly overridden: boolean;
    };
  };
  readonly upstream: { readonly kind: Open<'sandbox' | 'licensespring'>; readonly baseUrl: string };
  readonly sync: {
    /** The operator's cron schedule; null when the adaptive cadence decides. */
    readonly schedule: string | null;
    readonly splaySeconds: number;
    /**
     * The next sync: when, why then (`boot`, `slot`, `steady`, `approaching`, `after_boundary`,
     * `rate_limited`, `budget`), and the boundary it was chosen for; null while one runs.
     */
    readonly next: {
      readonly at: string;
      readonly reason: string;
      readonly boundary: { readonly kind: string; readonly at: string } | null;
    } | null;
    /** A sync is in flight: a refresh asked for now waits for it, then syncs again. */
    readonly running: boolean;
    readonly last: SyncAnswer | null;
  };
  readonly offline: {
    readonly failing: boolean;
    readonly lastFailure: string | null;
    readonly lastGenuineAt: string | null;
    readonly graceEndsAt: string | null;
    readonly graceRemainingSeconds: number | null;
    readonly clockRollbacks: number;
    readonly clockBehindSeconds: number | null;
    readonly serverSkewSeconds: number | null;
  };
  /** `restored`, `absent` or `refused: <reason>`. */
  readonly stateFile: string;
  readonly decidedAt: string | null;
  readonly licenses: readonly LicenseAnswer[];
  readonly features: readonly FeatureAnswer[];
  /** Litmus Edge Manager; absent when the agent has no `lem` section. */
  readonly lem?: LemStatusAnswer;
}

/** One part of a LEM poll: its last good answer's time and age, and how the latest call ended. */
export interface LemPartAnswer {
  readonly lastOkAt: string | null;
  readonly ageSeconds: number | null;
  readonly last: {
    readonly at: string | null;
    readonly kind: string;
    readonly outcome: string;
    readonly message: string | null;
  } | null;
}

/** The `lem` section of the status: the parts the agent shows; see docs/local-api.md for all. */
export interface LemStatusAnswer {
  readonly upstream: {
    readonly kind: Open<'sandbox' | 'lem'>;
    readonly baseUrl: string;
    readonly projectId: string | null;
  };
  readonly stateFile: string;
  readonly parts: Readonly<Record<string, LemPartAnswer>>;
  readonly pool: {
    readonly stats: {
      readonly active: number;
      readonly used: number;
      readonly unused: number;
      readonly expired: number;
    } | null;
    readonly devices: number | null;
  };
  readonly device: {
    readonly entries:
      | readonly {
          readonly deviceId: string;
          readonly licenses: readonly {
            readonly id: string;
            readonly sku: string;
            readonly status: string;
            readonly expiresAt: string | null;
          }[];
        }[]
      | null;
  };
  readonly features: readonly FeatureAnswer[];
}

/** A feature's answer changed (`AgentClient.onChange`): what it was, and the whole new answer. */
export interface FeatureChange {
  readonly feature: string;
  readonly from: Pick<FeatureAnswer, 'allowed' | 'state' | 'reason'>;
  readonly to: FeatureAnswer;
  /** When the agent saw the change, ISO 8601 UTC. */
  readonly at: string;
}
