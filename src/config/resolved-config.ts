import type { CadenceSettings } from '../domain/cadence.js';
import type { FailPolicy } from '../domain/decision.js';
import type { SecretRef } from './schema.js';

/** The local API's Unix socket: where, and who may connect (file mode, group). */
export interface SocketSettings {
  readonly path: string;
  readonly mode: number;
  readonly group: string | null;
}

/** Credentials for the License API, read from files or systemd credentials at start. */
export type UpstreamAuth =
  | { readonly method: 'hmac'; readonly apiKey: string; readonly sharedKey: string }
  | {
      readonly method: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly tokenUrl: string;
    };

export type Upstream =
  | { readonly kind: 'sandbox' }
  | {
      readonly kind: 'licensespring';
      readonly baseUrl: string;
      readonly auth: UpstreamAuth;
      /** PEM text; null when response signatures are not checked. */
      readonly publicKeyPem: string | null;
    };

/** How LEM's certificate is trusted: the system store, a CA, a pinned fingerprint, or nobody. */
export type LemTrust =
  | { readonly kind: 'system' }
  | { readonly kind: 'ca'; readonly caPem: string }
  | { readonly kind: 'fingerprint'; readonly sha256: string }
  | { readonly kind: 'insecure' };

export type LemUpstream =
  | { readonly kind: 'sandbox' }
  | {
      readonly kind: 'lem';
      readonly baseUrl: string;
      readonly projectId: string;
      readonly token: string;
      readonly authStyle: 'basic' | 'header';
      readonly tls: LemTrust;
    };

/** Litmus Edge Manager: where, as whom, and how often its pool is read. */
export interface LemSettings {
  readonly upstream: LemUpstream;
  /** This device's ID in LEM; null: found in the pool by this device's MAC address. */
  readonly deviceId: string | null;
  readonly schedule: string;
  readonly splayMs: number;
  readonly timeoutMs: number;
}

/**
 * The Management API for the `fleet` commands. Its key stays a reference until a `fleet` command
 * reads it (`readManagementApiKey`): the agent itself never needs it.
 */
export type ManagementUpstream =
  | { readonly kind: 'sandbox' }
  | {
      readonly kind: 'management';
      /** Ends in `/`; `api/v1/licenses/` is resolved against it. */
      readonly baseUrl: string;
      readonly apiKey: SecretRef;
      /** The config file's folder: a relative `apiKey.file` is relative to it. */
      readonly baseDir: string;
    };

export interface ManagementSettings {
  readonly upstream: ManagementUpstream;
  readonly timeoutMs: number;
  /** A `Retry-After` longer than this stops a listing instead of waiting it out. */
  readonly maxRetryAfterMs: number;
}

/** The configuration the agent runs with: validated, secrets read, paths absolute, frozen. */
export interface ResolvedConfig {
  readonly hardwareIdOverride: string | null;
  /** `auto`: detected at start; otherwise the operator's word for what the machine is. */
  readonly machine: 'auto' | 'physical' | 'virtual_machine' | 'container';
  readonly stateDirectory: string;
  readonly upstream: Upstream;
  /** Only licences of this product count; null: all of the device's licences. */
  readonly product: string | null;
  readonly features: readonly string[];
  readonly featureChecks: 'auto' | 'all' | 'none';
  readonly management: ManagementSettings;
  readonly sync: {
    /** A cron schedule the operator chose; null: the adaptive cadence. */
    readonly schedule: string | null;
    readonly splayMs: number;
    readonly cadence: CadenceSettings;
    readonly timeoutMs: number;
    readonly attempts: number;
    readonly backoffBaseMs: number;
    readonly backoffMaxMs: number;
    readonly maxRetryAfterMs: number;
    readonly concurrency: number;
  };
  readonly offline: { readonly graceMs: number; readonly rollbackToleranceMs: number };
  /** Floating seats; absent in configs built by hand: the schema's default then. */
  readonly floating?: { readonly idleReleaseMs: number };
  /**
   * Keys this device activates when `device_licenses` does not list them, read from their files
   * or credentials; absent in configs built by hand: none.
   */
  readonly activate?: readonly { readonly product: string; readonly key: string }[];
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Required of TCP clients when set; always set when `host` is not loopback. */
    readonly token: string | null;
    readonly socket: SocketSettings | null;
  };
  readonly policy: {
    readonly whenUnknown: {
      readonly default: FailPolicy;
      readonly features: Readonly<Record<string, FailPolicy>>;
    };
  };
  /** Null when no `lem` section is configured. */
  readonly lem: LemSettings | null;
  readonly log: {
    readonly level: string;
    /** json when absent (configs built by hand, in tests). */
    readonly format?: 'json' | 'pretty';
  };
  /** Which series /metrics exports: all of them, or the fleet's lean set. */
  readonly metrics: { readonly profile: 'full' | 'lean' };
  /** Event streams to applications (`GET /v1/events`): how many, how often a heartbeat. */
  readonly events: {
    readonly maxSubscribers: number;
    readonly heartbeatMs: number;
    readonly maxBacklogBytes: number;
  };
  /** Where each key that was not a default came from: `file <path>` or `env <NAME>`. */
  readonly sources: ReadonlyMap<string, string>;
}
