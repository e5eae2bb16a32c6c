import type { NextSync } from '../domain/cadence.js';
import type { Decisions } from '../domain/decision.js';
import type { HardwareComponentName } from '../domain/hardware-id.js';
import type { FeatureGrant, License } from '../domain/license.js';
import type { Instant } from '../domain/time.js';
import type { StateLoadFailure } from './state-ports.js';
import type { UpstreamOutcome } from '../domain/upstream-outcome.js';

/** Time is a port: wall-clock instants for decisions, a monotonic reading for durations. */
export interface Clock {
  now(): Instant;
  /**
   * Milliseconds from an origin fixed for the whole boot (so that two processes of one boot read
   * the same clock); never jumps with the wall clock.
   */
  monotonic(): number;
}

/**
 * Calls `onTick` every `ms` of monotonic time until stopped. Unlike a cron schedule, which follows
 * the wall clock, it keeps its pace when the wall clock is set back or jumps forward.
 */
export interface Ticker {
  every(ms: number, onTick: () => void): { stop(): void };
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

/** Where a local application asked about one feature: the local API or OFREP. */
export type QuestionSurface = 'api' | 'ofrep';

/**
 * Counts one feature question answered to a local application. `feature` is the code when the
 * decisions list it, null for any other code: what a client asks is not a bounded label set.
 * Called on the hot path of every answer, so it must cost next to nothing.
 */
export type FeatureQuestions = (
  surface: QuestionSurface,
  feature: string | null,
  allowed: boolean,
) => void;

/** What the agent reports; prom-client implements it. Labels stay bounded: no licence keys. */
export interface AgentMetrics {
  /** One attempt at a call ended; counted by how (every outcome and failure cause has a series). */
  upstreamAttempt(
    endpoint: Endpoint,
    outcome: UpstreamOutcome<unknown>,
    durationSeconds: number,
  ): void;
  upstreamSucceeded(endpoint: Endpoint, at: Instant): void;
  syncFinished(result: SyncResult, at: Instant): void;
  /** When the next sync starts and why then; null when stopped or while a sync runs. */
  nextSync(next: NextSync | null): void;
  featureAnswered: FeatureQuestions;
  decided(decisions: Decisions): void;
  /** The hardware ID in use, and the components that changed since enrolment (empty when none). */
  identity(hardwareId: string, changedComponents: readonly HardwareComponentName[]): void;
  /** A state file was found and not used. */
  stateLoadFailed(reason: StateLoadFailure): void;
  /** Where the agent stands in time: last genuine answer, offline grace, clock rollbacks. */
  trust(view: TrustView): void;
  /** A save of the state ended: durably written, or not (a full or read-only disk). */
  stateSaved(ok: boolean, at: Instant): void;
}

export interface TrustView {
  /** "Now" in trusted time: never before the highest instant seen. */
  readonly trustedNow: Instant;
  readonly lastGenuineAt: Instant | null;
  /** When the offline grace would end if nothing genuine came back from now on. */
  readonly graceEndsAt: Instant | null;
  /** Whether the latest attempt brought nothing genuine. */
  readonly failing: boolean;
  readonly clockRollbacks: number;
  /** How often a genuine answer dated as the wall clock reads brought trusted time back. */
  readonly timeCorrections: number;
  readonly serverSkewMs: number | null;
}
