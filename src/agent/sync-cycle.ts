import { licenseIdentity, type FeatureGrant, type License } from '../domain/license.js';
import {
  featureCheckKey,
  type FeatureCheckObservation,
  type Observations,
} from '../domain/observations.js';
import type { Instant } from '../domain/time.js';
import type { UpstreamOutcome } from '../domain/upstream-outcome.js';
import { freshnessProblem, type SyncTimes } from './answer-freshness.js';
import { callWithRetry, type Attempted, type RetryDeps } from './call-with-retry.js';
import { featuresToCheck, type FeatureCheckMode } from './feature-selection.js';
import type { LicenseApi, SyncResult } from './ports.js';
import { runLimited } from './run-limited.js';

/** Seats given back for idleness: syncs leave them alone until a local application asks again. */
export interface SeatGate {
  resting(licenseId: number, feature: string): boolean;
}

type CycleDeps = RetryDeps & { readonly api: LicenseApi; readonly seats?: SeatGate };

export interface SyncSettings {
  readonly hardwareId: string;
  /** Only licences of this product count; null: all of them. */
  readonly product: string | null;
  readonly featureChecks: FeatureCheckMode;
  readonly features: readonly string[];
  readonly concurrency: number;
}

/** What one cycle heard, for logs and status: never a licence key. */
export interface SyncReport {
  readonly result: SyncResult;
  readonly deviceLicenses: UpstreamOutcome<unknown>;
  readonly featureChecks: readonly {
    readonly licenseId: number;
    readonly feature: string;
    readonly outcome: UpstreamOutcome<unknown>;
  }[];
  readonly finishedAt: number;
  /** Every attempt at every call this sync made: what the company's rate limit was charged. */
  readonly calls: number;
  /** A call was answered 429: the server's Retry-After (null when none), which holds the device. */
  readonly rateLimited: { readonly retryAfterMs: number | null } | null;
}

/**
 * One sync: the device's licences, then the feature checks they call for. Only genuine answers
 * and definite refusals replace what the agent knew; anything else leaves it as it was. An answer
 * whose server `Date` is far from now (`trustedAt` is the agent's trusted time as the sync
 * starts), or older than the answer it would replace, is a replay and counts as not genuine.
 */
export async function runSyncCycle(
  deps: CycleDeps,
  settings: SyncSettings,
  previous: Observations,
  signal: AbortSignal,
  trustedAt: Instant,
): Promise<{ observations: Observations; report: SyncReport }> {
  const times: SyncTimes = { trustedAt, wallClockAt: deps.clock.now() };
  const spend = new SyncSpending();
  const asked = await callWithRetry(
    deps,
    'device_licenses',
    (s) => deps.api.deviceLicenses(settings.hardwareId, s),
    signal,
  );
  spend.noted(asked);
  const outcome = judged(asked.outcome, times, previous.licenses?.serverDate ?? null);
  const verifiedAt = deps.clock.now();
  const report = (result: SyncResult, checks: SyncReport['featureChecks'] = []): SyncReport => ({
    result,
    deviceLicenses: withoutValue(outcome),
    featureChecks: checks,
    finishedAt: deps.clock.now(),
    calls: spend.calls,
    rateLimited: spend.rateLimited,
  });

  switch (outcome.kind) {
    case 'refused':
      return {
        observations: {
          licenses: { kind: 'refused', code: outcome.code, verifiedAt, ...dateOf(outcome) },
          featureChecks: new Map(),
        },
        report: report('ok'),
      };
    case 'rejected':
    case 'unreachable':
    case 'not-genuine':
      return { observations: previous, report: report('failed') };
    case 'genuine':
      break;
    default: {
      const never: never = outcome;
      return never;
    }
  }

  const licenses = outcome.value;
  const checks = await checkFeatures(deps, settings, licenses, signal, {
    times,
    previous,
    spend,
  });
  const featureChecks = new Map<string, FeatureCheckObservation>();
  for (const license of licenses) {
    for (const feature of license.features) {
      const key = featureCheckKey(license.id, feature.code);
      const kept = checks.observed.get(key) ?? previous.featureChecks.get(key);
      // A resting seat's last answer stands: the decision stays what it was until it is asked for.
      if (kept !== undefined && (checks.asked.has(key) || checks.resting.has(key)))
        featureChecks.set(key, kept);
    }
  }
  const failed = checks.reports.some(
    (c) => c.outcome.kind !== 'genuine' && c.outcome.kind !== 'refused',
  );
  return {
    observations: {
      licenses: {
        kind: 'licenses',
        licenses,
        verifiedAt,
        evidence: outcome.evidence,
        serverDate: outcome.serverDate,
      },
      featureChecks,
    },
    report: report(failed ? 'partial' : 'ok', checks.reports),
  };
}

async function checkFeatures(
  deps: CycleDeps,
  settings: SyncSettings,
  licenses: readonly License[],
  signal: AbortSignal,
  held: {
    readonly times: SyncTimes;
    readonly previous: Observations;
    readonly spend: SyncSpending;
  },
) {
  const asked = new Set<string>();
  const resting = new Set<string>();
  const tasks: (() => Promise<{
    key: string;
    licenseId: number;
    feature: string;
    outcome: UpstreamOutcome<FeatureGrant>;
  }>)[] = [];
  for (const license of licenses) {
    const who = licenseIdentity(license);
    // A disabled or inactive licence refuses every feature anyway, and another product's licence
    // decides nothing here: asking would only spend quota.
    if (who === null || !license.enabled || !license.active) continue;
    if (settings.product !== null && license.productCode !== settings.product) continue;
    for (const feature of featuresToCheck(license, settings.featureChecks, settings.features)) {
      const key = featureCheckKey(license.id, feature.code);
      if (feature.floating && deps.seats?.resting(license.id, feature.code) === true) {
        resting.add(key);
        continue;
      }
      asked.add(key);
      tasks.push(async () => {
        // A 429 holds the whole device: the checks not yet asked keep what the agent knew.
        if (held.spend.rateLimited !== null) {
          const skipped: UpstreamOutcome<FeatureGrant> = {
            kind: 'unreachable',
            cause: 'rate_limited',
            status: null,
            retryAfterMs: held.spend.rateLimited.retryAfterMs,
          };
          return { key, licenseId: license.id, feature: feature.code, outcome: skipped };
        }
        const answer = await callWithRetry(
          deps,
          'check_license_feature',
          (s) =>
            deps.api.checkFeature(
              {
                ...who,
                hardwareId: settings.hardwareId,
                product: license.productCode,
                feature: feature.code,
                licenseId: license.id,
              },
              s,
            ),
          signal,
        );
        held.spend.noted(answer);
        const outcome = judged(
          forTheQuestion(answer.outcome, license.id, feature.code),
          held.times,
          held.previous.featureChecks.get(key)?.serverDate ?? null,
        );
        return { key, licenseId: license.id, feature: feature.code, outcome };
      });
    }
  }
  const results = await runLimited(tasks, settings.concurrency);
  const observed = new Map<string, FeatureCheckObservation>();
  const verifiedAt = deps.clock.now();
  for (const { key, outcome } of results) {
    if (outcome.kind === 'genuine') {
      observed.set(key, {
        kind: 'granted',
        grant: outcome.value,
        verifiedAt,
        evidence: outcome.evidence,
        serverDate: outcome.serverDate,
      });
    } else if (outcome.kind === 'refused') {
      observed.set(key, { kind: 'refused', code: outcome.code, verifiedAt, ...dateOf(outcome) });
    }
  }
  return {
    asked,
    resting,
    observed,
    reports: results.map(({ licenseId, feature, outcome }) => ({
      licenseId,
      feature,
      outcome: withoutValue(outcome),
    })),
  };
}

/** What one sync has charged the company's rate limit so far, and whether it said 429. */
class SyncSpending {
  calls = 0;
  rateLimited: { retryAfterMs: number | null } | null = null;

  noted(attempted: Attempted<unknown>): void {
    this.calls += attempted.attempts;
    const { outcome } = attempted;
    if (outcome.kind === 'unreachable' && outcome.cause === 'rate_limited')
      this.rateLimited ??= { retryAfterMs: outcome.retryAfterMs };
  }
}

/** A refusal's server Date, when it came with one (in-process fakes send none). */
function dateOf(outcome: { readonly serverDate?: Instant | null }): { serverDate?: Instant } {
  return outcome.serverDate == null ? {} : { serverDate: outcome.serverDate };
}

/** A verified answer that is a replay (see `freshnessProblem`) is not genuine. */
function judged<T>(
  outcome: UpstreamOutcome<T>,
  times: SyncTimes,
  newestHeld: Instant | null,
): UpstreamOutcome<T> {
  const problem = freshnessProblem(outcome, times, newestHeld);
  return problem === null ? outcome : { kind: 'not-genuine', reason: problem };
}

/**
 * The signature covers the body, not the question: a signed grant of another feature (or on
 * another licence) is genuine for that one, and must not answer for this one.
 */
function forTheQuestion(
  outcome: UpstreamOutcome<FeatureGrant>,
  licenseId: number,
  feature: string,
): UpstreamOutcome<FeatureGrant> {
  if (outcome.kind !== 'genuine') return outcome;
  const { value } = outcome;
  return value.licenseId === licenseId && value.code === feature
    ? outcome
    : { kind: 'not-genuine', reason: 'foreign_answer' };
}

/** Reports keep the outcome's kind and reason, not the licences (which carry their keys). */
function withoutValue(outcome: UpstreamOutcome<unknown>): UpstreamOutcome<unknown> {
  return outcome.kind === 'genuine'
    ? { ...outcome, value: null, evidence: { body: '', signature: null } }
    : outcome;
}
