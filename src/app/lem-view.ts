import type { AgentView } from '../agent/agent-view.js';
import type { DecisionBoard } from '../agent/decision-board.js';
import type { LemBoard } from '../agent/lem-board.js';
import type { LemLoop } from '../agent/lem-loop.js';
import { lemStatus, type LemStatus } from '../agent/lem-status.js';
import type { Decisions, FeatureDecision } from '../domain/decision.js';
import type { LemDeviceMatch } from '../domain/lem-device.js';
import { isLemFeatureCode } from '../domain/lem-feature-decision.js';
import type { Instant } from '../domain/time.js';

/** What the view reads of LEM; `upstream` and `loop` are set once LEM is connected. */
export interface LemParts {
  readonly board: LemBoard;
  readonly schedule: string;
  readonly splayMs: number;
  readonly match: LemDeviceMatch;
  stateFile: string;
  upstream: LemStatus['upstream'];
  loop: LemLoop | null;
}

type Questions = Pick<AgentView, 'decisions' | 'feature' | 'listedFeature'> & {
  lemStatus(now: Instant): LemStatus;
};

/**
 * One question surface for both licence systems: `lem:<name>` is answered from LEM's licence
 * features, everything else from LicenseSpring's board, as before. The list of features is
 * both, sorted by code, made once per pair of decision lists so that the routes'
 * caches keyed by it keep working.
 */
export function lemFeatureView(board: DecisionBoard, lem: LemParts | null): Questions {
  let merged: { ls: Decisions; lem: readonly FeatureDecision[]; decisions: Decisions } | null =
    null;
  return {
    decisions: () => {
      const ls = board.decisions();
      if (lem === null) return ls;
      const lemFeatures = lem.board.features();
      if (merged?.ls !== ls || merged.lem !== lemFeatures) {
        // One list sorted by code, as LicenseSpring's alone is.
        const features = [...ls.features, ...lemFeatures].sort((a, b) =>
          a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
        );
        const decisions = { ...ls, features };
        merged = { ls, lem: lemFeatures, decisions };
      }
      return merged.decisions;
    },
    feature: (code) =>
      lem !== null && isLemFeatureCode(code) ? lem.board.feature(code) : board.feature(code),
    listedFeature: (code) =>
      lem !== null && isLemFeatureCode(code)
        ? lem.board.listedFeature(code)
        : board.listedFeature(code),
    lemStatus: (now) => {
      if (lem === null) throw new Error('LEM is not configured');
      return lemStatus({
        board: lem.board,
        upstream: lem.upstream,
        schedule: lem.schedule,
        splayMs: lem.splayMs,
        running: lem.loop?.running() ?? false,
        stateFile: lem.stateFile,
        match: lem.match,
        now,
      });
    },
  };
}
