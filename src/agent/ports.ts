import type { Decisions } from '../domain/decision.js';
import type { HardwareComponentName } from '../domain/hardware-id.js';
import type { FeatureGrant, License } from '../domain/license.js';
import type { Instant } from '../domain/time.js';
import type { UpstreamOutcome } from '../domain/upstream-outcome.js';

/** Time is a port: wall-clock instants for decisions, a monotonic reading for durations. */
export interface Clock {
  now(): Instant;
  /** Milliseconds from an arbitrary origin; never jumps with the wall clock. */
  monotonic(): number;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A number in [0, 1). */
export type Random = () => number;

export type FeatureCheckRequest = {
  readonly hardwareId: string;
  readonly product: string;
  readonly feature: string;
  readonly licenseId: number;
} & ({ readonly licenseKey: string } | { readonly username: string });

/** One attempt at each License API call. Retries are the agent's policy, not the adapter's. */
export interface LicenseApi {
  deviceLicenses(
    hardwareId: string,
    signal: AbortSignal,
  ): Promise<UpstreamOutcome<readonly License[]>>;
  checkFeature(
    request: FeatureCheckRequest,
    signal: AbortSignal,
  ): Promise<UpstreamOutcome<FeatureGrant>>;
}

export type Endpoint = 'device_licenses' | 'check_license_feature';

export type LogFields = Readonly<Record<string, unknown>>;

/** The logging the agent needs; pino implements it. Secrets never reach it by design. */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  child(bindings: LogFields): Logger;
}

export type SyncResult = 'ok' | 'partial' | 'failed';

/** What the agent reports; prom-client implements it. Labels stay bounded: no licence keys. */
export interface AgentMetrics {
  upstreamAttempt(endpoint: Endpoint, outcome: string, durationSeconds: number): void;
  upstreamSucceeded(endpoint: Endpoint, at: Instant): void;
  syncFinished(result: SyncResult, at: Instant): void;
  decided(decisions: Decisions): void;
  /** The hardware ID in use, and the components that changed since enrolment (empty when none). */
  identity(hardwareId: string, changedComponents: readonly HardwareComponentName[]): void;
}
