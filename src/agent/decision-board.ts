import {
  decide,
  featureDecision,
  type DecisionPolicy,
  type Decisions,
  type FeatureDecision,
} from '../domain/decision.js';
import { noObservations, type Observations } from '../domain/observations.js';
import type { Clock } from './ports.js';

/**
 * The agent's read model: the latest decisions, recomputed only when the observations change or
 * the clock passes the next instant at which a decision would change (an expiry, a grace end).
 * Answering a feature question is then a lookup, which is what keeps the local API fast.
 */
export class DecisionBoard {
  private observations: Observations = noObservations;
  private current: Decisions;
  private byCode = new Map<string, FeatureDecision>();
  private validUntil = Infinity;

  constructor(
    private readonly policy: DecisionPolicy,
    private readonly clock: Clock,
  ) {
    this.current = this.recompute();
  }

  /** Replaces the observations; returns the decisions before and after. */
  update(observations: Observations): { before: Decisions; after: Decisions } {
    const before = this.decisions();
    this.observations = observations;
    return { before, after: this.recompute() };
  }

  known(): Observations {
    return this.observations;
  }

  decisions(): Decisions {
    if (this.clock.now() >= this.validUntil) this.recompute();
    return this.current;
  }

  feature(code: string): FeatureDecision {
    const decisions = this.decisions();
    return this.byCode.get(code) ?? featureDecision(decisions, code);
  }

  /** Ready once a decision rests on something the server said (a grant or a refusal). */
  ready(): boolean {
    return this.observations.licenses !== null;
  }

  private recompute(): Decisions {
    const now = this.clock.now();
    const decisions = decide(this.observations, now, this.policy);
    this.current = decisions;
    this.byCode = new Map(decisions.features.map((f) => [f.code, f]));
    this.validUntil = nextChange(decisions, now);
    return decisions;
  }
}

function nextChange(decisions: Decisions, now: number): number {
  let next = Infinity;
  for (const d of [...decisions.licenses, ...decisions.features]) {
    for (const at of [d.expiresAt, d.graceEndsAt]) {
      if (at !== null && at > now && at < next) next = at;
    }
  }
  return next;
}
