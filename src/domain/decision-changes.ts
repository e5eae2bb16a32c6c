import type { Decisions, FeatureDecision } from './decision.js';
import type { Instant } from './time.js';

/** One feature whose answer changed: what it was, what it is now, and when that was seen. */
export interface DecisionChange {
  readonly feature: string;
  readonly from: FeatureDecision;
  readonly to: FeatureDecision;
  readonly at: Instant;
}

/**
 * The features whose answer differs between two sets of decisions, in the order `after` lists
 * them, then the features only `before` listed. A code listed on one side only is compared with
 * what `unlisted` says it is on the other (denied as not licensed, or the device's refusal).
 * `lastVerifiedAt` moves with every sync and is not a change: an application acts on the rest.
 */
export function decisionChanges(
  before: Decisions,
  after: Decisions,
  unlisted: (decisions: Decisions, code: string) => FeatureDecision,
): DecisionChange[] {
  const was = new Map(before.features.map((f) => [f.code, f]));
  const changes: DecisionChange[] = [];
  const compare = (from: FeatureDecision, to: FeatureDecision): void => {
    if (!sameAnswer(from, to)) changes.push({ feature: to.code, from, to, at: after.decidedAt });
  };
  for (const to of after.features) {
    compare(was.get(to.code) ?? unlisted(before, to.code), to);
    was.delete(to.code);
  }
  for (const from of was.values()) compare(from, unlisted(after, from.code));
  return changes;
}

function sameAnswer(a: FeatureDecision, b: FeatureDecision): boolean {
  return (
    a.allowed === b.allowed &&
    a.state === b.state &&
    a.reason === b.reason &&
    a.expiresAt === b.expiresAt &&
    a.graceEndsAt === b.graceEndsAt &&
    a.licenseId === b.licenseId &&
    a.policy === b.policy
  );
}
