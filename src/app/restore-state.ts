import type { DecisionBoard } from '../agent/decision-board.js';
import type { AgentMetrics, Logger } from '../agent/ports.js';
import { fromSavedState } from '../agent/saved-state.js';
import type { EvidenceReader, StateLoadFailure, StateStore } from '../agent/state-ports.js';

export type Restored =
  | { readonly kind: 'restored' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'refused'; readonly reason: StateLoadFailure };

/**
 * Boots the board from the saved state, so that the agent answers correctly before its first sync
 * completes. A file that does not verify is logged, counted and ignored: the agent starts as
 * `unknown` and syncs. It never grants from it, and never crashes on it.
 */
export async function restoreState(deps: {
  readonly store: StateStore;
  readonly evidence: EvidenceReader;
  readonly board: DecisionBoard;
  readonly hardwareId: string;
  readonly metrics: AgentMetrics;
  readonly log: Logger;
}): Promise<Restored> {
  const loaded = await deps.store.load(deps.hardwareId);
  if (loaded.kind === 'absent') return loaded;
  if (loaded.kind === 'refused') return refuse(loaded.reason, loaded.detail);
  const restored = fromSavedState(loaded.state, deps.evidence);
  if (!restored.ok) return refuse(restored.reason, restored.detail);
  deps.board.restore(restored.state);
  deps.log.info(
    { savedAt: new Date(loaded.state.savedAt), ready: deps.board.ready() },
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
