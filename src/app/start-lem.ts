import { join } from 'node:path';
import type { DecisionBoard } from '../agent/decision-board.js';
import { LemBoard } from '../agent/lem-board.js';
import { LemLoop } from '../agent/lem-loop.js';
import type { LemMetrics, LemStore } from '../agent/lem-poll-ports.js';
import type { Clock, Logger, Sleep } from '../agent/ports.js';
import type { Scheduler } from '../agent/sync-loop.js';
import { writeFileDurably } from '../adapters/durable-file/durable-write.js';
import { ensureDeviceSecret } from '../adapters/state-store/device-secret.js';
import { createLemStore } from '../adapters/state-store/lem-store.js';
import type { ResolvedConfig, LemSettings } from '../config/resolved-config.js';
import { trustedNow } from '../domain/grace.js';
import type { LemDeviceMatch } from '../domain/lem-device.js';
import { splayOffsetMs } from '../domain/splay.js';
import type { LemParts } from './lem-view.js';
import { SANDBOX_FALLBACK_MAC } from './lem-sandbox-mac.js';

export const SANDBOX_LEM_CA_FILE = 'sandbox-lem-ca.pem';

export interface RestoredLem {
  readonly parts: LemParts;
  readonly store: LemStore;
  readonly settings: LemSettings;
}

/**
 * LEM's board, restored from lem-state.json before the agent is ready, so that status shows the
 * last good LEM answers (with their age) while LEM is away. A refused file is logged and left for
 * the first poll to replace; it never stops the agent, which LicenseSpring alone makes ready.
 */
export async function restoreLem(
  config: ResolvedConfig,
  hardwareId: string,
  deviceMac: string | null,
  board: DecisionBoard,
  clock: Clock,
  log: Logger,
): Promise<RestoredLem | null> {
  const settings = config.lem;
  if (settings === null) return null;
  // Made now, before either store saves: two first saves racing to make it would each write a
  // different key, and one of the two files would never open again.
  await ensureDeviceSecret(config.stateDirectory);
  const lemBoard = new LemBoard(config.policy.whenUnknown, () =>
    trustedNow(board.state().trust, clock.now()),
  );
  const store = createLemStore(config.stateDirectory);
  const loaded = await store.load(hardwareId);
  let stateFile = 'absent';
  if (loaded.kind === 'loaded') {
    lemBoard.set(loaded.snapshot);
    stateFile = 'restored';
    log.info({ savedAt: new Date(loaded.savedAt) }, 'LEM answers restored from disk');
  } else if (loaded.kind === 'refused') {
    stateFile = `refused: ${loaded.reason}`;
    log.warn(
      { reason: loaded.reason, detail: loaded.detail },
      'the saved LEM answers are not used',
    );
  }
  const upstream = settings.upstream;
  return {
    settings,
    store,
    parts: {
      board: lemBoard,
      schedule: settings.schedule,
      splayMs: splayOffsetMs(hardwareId, settings.splayMs),
      match: deviceMatch(settings, deviceMac),
      stateFile,
      upstream:
        upstream.kind === 'sandbox'
          ? { kind: 'sandbox', baseUrl: '(starting)', projectId: null }
          : { kind: 'lem', baseUrl: upstream.baseUrl, projectId: upstream.projectId },
      loop: null,
    },
  };
}

function deviceMatch(settings: LemSettings, deviceMac: string | null): LemDeviceMatch {
  if (settings.deviceId !== null) return { kind: 'device-id', deviceId: settings.deviceId };
  // The sandbox binds its licence to a made-up MAC on a machine without a NIC; look for that one.
  const mac = deviceMac ?? (settings.upstream.kind === 'sandbox' ? SANDBOX_FALLBACK_MAC : null);
  return mac === null ? { kind: 'none' } : { kind: 'mac', mac };
}

export interface LemLoopParts {
  readonly restored: RestoredLem;
  readonly hardwareId: string;
  readonly deviceMac: string | null;
  readonly stateDirectory: string;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly scheduler: Scheduler;
  readonly metrics: LemMetrics;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/** Connects to LEM (or starts its sandbox) and starts the poll; resolves to what stops both. */
export async function startLem(parts: LemLoopParts): Promise<() => Promise<void>> {
  const { restored, log, clock } = parts;
  const { connectLem } = await import('./lem-upstream.js');
  const lem = await connectLem(restored.settings, parts.deviceMac, log);
  restored.parts.upstream = { kind: lem.kind, baseUrl: lem.baseUrl, projectId: lem.projectId };
  if (lem.sandboxCaPem !== null) {
    const caFile = join(parts.stateDirectory, SANDBOX_LEM_CA_FILE);
    // Public: a CA certificate, for `curl --cacert` and the `lem` commands.
    await writeFileDurably(caFile, lem.sandboxCaPem, 0o644);
    log.info({ caFile, url: lem.baseUrl }, 'the LEM sandbox CA is written for curl --cacert');
  }
  const loop = new LemLoop(
    {
      api: lem.api,
      board: restored.parts.board,
      clock,
      sleep: parts.sleep,
      scheduler: parts.scheduler,
      metrics: parts.metrics,
      log,
      persist: (snapshot) => restored.store.save(snapshot, parts.hardwareId, clock.now()),
    },
    {
      schedule: restored.settings.schedule,
      splayMs: restored.settings.splayMs,
      seed: parts.hardwareId,
      match: restored.parts.match,
    },
    parts.signal,
  );
  restored.parts.loop = loop;
  loop.start();
  return async () => {
    await loop.stop();
    await lem.close();
  };
}
