import type { DecisionBoard } from '../agent/decision-board.js';
import type { AgentMetrics, Clock, Logger } from '../agent/ports.js';
import { continueTimeline, fromSavedState } from '../agent/saved-state.js';
import type { EvidenceReader, StateLoadFailure, StateStore } from '../agent/state-ports.js';

export type Restored =
  | { readonly kind: 'restored' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'refused'; readonly reason: StateLoadFailure };

/**
 * Boots the board from the saved state, so that the agent answers correctly before its first sync
 * completes. A file that does not verify is logged, counted and ignored: the agent starts as
 * `unknown` and syncs. It never grants from it, and never crashes on it. Saved in this same boot,
 * its trusted time is carried on by the time the monotonic clock says has passed since.
 */
export async function restoreState(deps: {
  readonly store: StateStore;
  readonly evidence: EvidenceReader;
  readonly board: DecisionBoard;
  readonly hardwareId: string;
  readonly metrics: AgentMetrics;
  readonly log: Logger;
  readonly clock: Clock;
  /** This boot's ID, null when unknown. */
  readonly bootId: string | null;
}): Promise<Restored> {
  const loaded = await deps.store.load(deps.hardwareId);
  if (loaded.kind === 'absent') return loaded;
  if (loaded.kind === 'refused') return refuse(loaded.reason, loaded.detail);
  const restored = fromSavedState(loaded.state, deps.evidence);
  if (!restored.ok) return refuse(restored.reason, restored.detail);
  const now = { bootId: deps.bootId, monotonic: deps.clock.monotonic() };
  const trust = continueTimeline(restored.state.trust, loaded.state, now);
  deps.board.restore({ ...restored.state, trust });
  deps.log.info(
    {
      savedAt: new Date(loaded.state.savedAt),
      ready: deps.board.ready(),
      sameBoot: trust.highestMonotonic !== null,
      trustedNow: new Date(deps.board.trustedNow()),
    },
    'state restored from disk',
  );
  return { kind: 'restored' };

  function refuse(reason: StateLoadFailure, detail: string): Restored {
    deps.metrics.stateLoadFailed(reason);
    deps.log.warn(
      { reason, detail },
      'state file refused: starting as unknown until the next sync',
    );
    return { kind: 'refused', reason };
  }
}
