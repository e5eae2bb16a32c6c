import type { FeatureDecision, WhenUnknown } from '../domain/decision.js';
import {
  decideLemFeature,
  decideLemFeatures,
  type LemFeatureAnswer,
} from '../domain/lem-feature-decision.js';
import { emptyLemSnapshot, type LemSnapshot } from '../domain/lem-snapshot.js';
import type { Instant } from '../domain/time.js';

/**
 * LEM's read model, apart from LicenseSpring's: the last good answer of each part, and the
 * `lem:` feature decisions they imply, recomputed when a poll lands or trusted time passes the
 * next feature expiry. `trustedNow` is the agent's trusted time, so a clock set back does not
 * revive an expired LEM feature either.
 */
export class LemBoard {
  private current: LemSnapshot = emptyLemSnapshot;
  private decided: readonly FeatureDecision[] = [];
  private byCode = new Map<string, FeatureDecision>();
  private validUntil = -Infinity;

  constructor(
    private readonly whenUnknown: WhenUnknown,
    private readonly trustedNow: () => Instant,
  ) {}

  snapshot(): LemSnapshot {
    return this.current;
  }

  /** Replaces the snapshot: a poll folded in, or the one restored from disk. */
  set(snapshot: LemSnapshot): void {
    this.current = snapshot;
    this.validUntil = -Infinity;
  }

  /** The decision of every feature LEM's licence lists; the same array until one changes. */
  features(): readonly FeatureDecision[] {
    const now = this.trustedNow();
    if (now >= this.validUntil) {
      const { features, nextChangeAt } = decideLemFeatures(this.answer(), now, this.whenUnknown);
      this.decided = features;
      this.byCode = new Map(features.map((f) => [f.code, f]));
      this.validUntil = nextChangeAt;
    }
    return this.decided;
  }

  /** The decision for a `lem:` code, including codes LEM's licence does not list. */
  feature(code: string): FeatureDecision {
    this.features();
    return (
      this.byCode.get(code) ??
      decideLemFeature(code, this.answer(), this.trustedNow(), this.whenUnknown)
    );
  }

  /** Listed: LEM's licence names the feature. */
  listedFeature(code: string): FeatureDecision | undefined {
    this.features();
    return this.byCode.get(code);
  }

  private answer(): LemFeatureAnswer | null {
    const part = this.current.licenseFeatures;
    if (part.value === null || part.okAt === null) return null;
    return { features: part.value, verifiedAt: part.okAt };
  }
}
