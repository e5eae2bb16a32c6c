import {
  featureDecision,
  type DecisionPolicy,
  type Decisions,
  type FeatureDecision,
} from '../domain/decision.js';
import {
  advanceTimeline,
  initialState,
  transition,
  trustedAt,
  type AgentState,
  type GraceEvent,
  type GraceSettings,
} from '../domain/grace.js';
import { decideWithGrace } from '../domain/grace-decisions.js';
import type { ClockReading, Instant } from '../domain/time.js';
import type { Clock } from './ports.js';

export interface BoardPolicy extends GraceSettings, DecisionPolicy {}

/**
 * The agent's read model: its state, run through the grace state machine, and the decisions it
 * implies, recomputed only when an event arrives or trusted time passes the next instant at which
 * a decision changes by itself (an expiry, a grace end). A feature question is then a map lookup.
 */
export class DecisionBoard {
  private current: AgentState = initialState;
  private decided!: Decisions;
  private byCode = new Map<string, FeatureDecision>();
  private validUntil = Infinity;
  private readonly listeners = new Set<() => void>();

  constructor(
    private policy: BoardPolicy,
    private readonly clock: Clock,
  ) {
    this.recompute();
  }

  /**
   * A reloaded configuration (features, policy, grace): the state stays, the decisions are made
   * again under the new policy, so answers change on reload, not at the next sync.
   */
  reconfigure(policy: BoardPolicy): void {
    this.policy = policy;
    this.recompute();
    this.changed();
  }

  /** Starts from a state restored from disk. */
  restore(state: AgentState): void {
    this.current = transition(state, { kind: 'clock-observed' }, this.reading(), this.policy);
    this.recompute();
    this.changed();
  }

  /** Runs one event through the state machine; returns the decisions before and after. */
  apply(event: GraceEvent): { before: Decisions; after: Decisions; state: AgentState } {
    const before = this.decisions();
    this.current = transition(this.current, event, this.reading(), this.policy);
    const after = this.recompute();
    this.changed();
    return { before, after, state: this.current };
  }

  /**
   * Hears of every event, restore and reconfiguration, after the decisions were made again (they
   * may be the same). Not of time passing: `nextChangeAt()` says when that changes a decision.
   * Returns the function that stops the listening.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The trusted instant at which a decision next changes by time alone; Infinity if never. */
  nextChangeAt(): Instant {
    this.decisions();
    return this.validUntil;
  }

  /**
   * The state as of now: its timeline carried on to this instant of trusted time, so that what is
   * saved or shown says how much time has passed even while the wall clock stands behind.
   */
  state(): AgentState {
    const trust = advanceTimeline(this.current.trust, this.reading());
    return trust === this.current.trust ? this.current : { ...this.current, trust };
  }

  /** "Now" in trusted time (see `trustedAt`). */
  trustedNow(): Instant {
    return trustedAt(this.current.trust, this.reading());
  }

  decisions(): Decisions {
    // Trusted time, not the wall clock: a clock set back must not hold an expiry off.
    if (this.trustedNow() >= this.validUntil) this.recompute();
    return this.decided;
  }

  feature(code: string): FeatureDecision {
    return this.listedFeature(code) ?? featureDecision(this.decided, code, this.policy);
  }

  /** The feature's decision if the decisions list it: a licence carries it, or config names it. */
  listedFeature(code: string): FeatureDecision | undefined {
    this.decisions();
    return this.byCode.get(code);
  }

  /** Ready once a decision rests on something the server said: a grant or a refusal. */
  ready(): boolean {
    return this.current.observations.licenses !== null;
  }

  private recompute(): Decisions {
    const now = this.reading();
    const state = { ...this.current, trust: advanceTimeline(this.current.trust, now) };
    const { decisions, nextChangeAt } = decideWithGrace(state, now.wall, this.policy);
    this.decided = decisions;
    this.byCode = new Map(decisions.features.map((f) => [f.code, f]));
    this.validUntil = nextChangeAt;
    return decisions;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private reading(): ClockReading {
    return { wall: this.clock.now(), monotonic: this.clock.monotonic() };
  }
}
