import type { AgentStatus, AgentView } from '../agent/agent-view.js';
import type { DecisionBoard } from '../agent/decision-board.js';
import type { EstablishedIdentity } from '../agent/establish-identity.js';
import type { Clock } from '../agent/ports.js';
import type { SyncReport } from '../agent/sync-cycle.js';
import type { SyncLoop } from '../agent/sync-loop.js';
import { trustView } from '../agent/trust-view.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { MachineVerdict } from '../domain/machine-verdict.js';
import { splayOffsetMs } from '../domain/splay.js';
import type { Restored } from './restore-state.js';
import { lemFeatureView, type LemParts } from './lem-view.js';

/** What the view reads that appears only once the agent has connected upstream. */
export interface LateParts {
  upstream: AgentStatus['upstream'];
  loop: SyncLoop | null;
  /** The last report of the loop a reload replaced, until the new loop has one of its own. */
  lastBeforeReload: SyncReport | null;
  stateSave: AgentStatus['stateSave'];
}

/**
 * The read side the local API serves: decisions straight from the board, and the status built
 * on each ask from the board, the identity, the sync loop and what became of the state file.
 */
export function statusView(parts: {
  readonly version: string;
  /** The running configuration: a reload replaces it. */
  readonly config: () => ResolvedConfig;
  readonly clock: Clock;
  readonly board: DecisionBoard;
  readonly identity: EstablishedIdentity;
  readonly restored: Restored;
  readonly late: LateParts;
  /** Null when LEM is not configured: `lem:` codes are then LicenseSpring's like any other. */
  readonly lem?: LemParts | null;
  /** What the machine is, for `prevent_vm` licences. */
  readonly machine: () => MachineVerdict;
  /** The floating seats section, when the agent keeps seats. */
  readonly floating?: () => Pick<AgentStatus, 'floating'>;
  /** The configured keys' activation, when `licensespring.activate` names any. */
  readonly activation?: () => Pick<AgentStatus, 'activation'>;
}): AgentView {
  const { version, config, clock, board, identity, restored, late } = parts;
  const lem = parts.lem ?? null;
  const questions = lemFeatureView(board, lem);
  return {
    ready: () => board.ready(),
    ...questions,
    status: (): AgentStatus => statusNow(config()),
  };

  function statusNow(settings: ResolvedConfig): AgentStatus {
    return {
      version,
      ready: board.ready(),
      device: {
        hardwareId: identity.hardwareId,
        source: identity.source,
        changedComponents: identity.changedComponents,
        machine: parts.machine(),
      },
      upstream: { ...late.upstream, baseUrl: withoutUserinfo(late.upstream.baseUrl) },
      sync: {
        schedule: settings.sync.schedule,
        splaySeconds: splayOffsetMs(identity.hardwareId, settings.sync.splayMs) / 1000,
        next: late.loop?.nextSync() ?? null,
        running: late.loop?.running() ?? false,
        last: late.loop?.lastReport() ?? late.lastBeforeReload,
      },
      offline: {
        ...trustView(board.state(), clock.now(), settings.offline.graceMs),
        lastFailure: board.state().trust.lastFailure,
        clockBehindMs: board.state().trust.clockBehindMs,
      },
      stateSave: late.stateSave,
      stateFile: restored.kind === 'refused' ? `refused: ${restored.reason}` : restored.kind,
      decisions: board.decisions(),
      ...(lem === null ? {} : { lem: questions.lemStatus(clock.now()) }),
      ...parts.floating?.(),
      ...parts.activation?.(),
    };
  }
}

/**
 * The config refuses a user name or password in a URL; this keeps one that came another way (a
 * future upstream kind, a redirect target) out of a body any local client may read.
 */
function withoutUserinfo(text: string): string {
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  if (url.username === '' && url.password === '') return text;
  url.username = '';
  url.password = '';
  return url.toString();
}
