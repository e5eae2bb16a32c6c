import type { FailPolicy } from '../domain/decision.js';

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

/** The configuration the agent runs with: validated, secrets read, paths absolute, frozen. */
export interface ResolvedConfig {
  readonly hardwareIdOverride: string | null;
  readonly stateDirectory: string;
  readonly upstream: Upstream;
  /** Only licences of this product count; null: all of the device's licences. */
  readonly product: string | null;
  readonly features: readonly string[];
  readonly featureChecks: 'auto' | 'all' | 'none';
  readonly sync: {
    readonly schedule: string;
    readonly splayMs: number;
    readonly timeoutMs: number;
    readonly attempts: number;
    readonly backoffBaseMs: number;
    readonly backoffMaxMs: number;
    readonly maxRetryAfterMs: number;
    readonly concurrency: number;
  };
  readonly offline: { readonly graceMs: number; readonly rollbackToleranceMs: number };
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
  readonly log: {
    readonly level: string;
    /** json when absent (configs built by hand, in tests). */
    readonly format?: 'json' | 'pretty';
  };
  /** Where each key that was not a default came from: `file <path>` or `env <NAME>`. */
  readonly sources: ReadonlyMap<string, string>;
}
