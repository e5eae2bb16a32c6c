import type { FeatureDecision } from '../domain/decision.js';
import type {
  LemLicenseFeature,
  LemPoolStats,
  LemServerFeature,
  LemSku,
  LemUsedDevice,
} from '../domain/lem.js';
import type { LemDeviceMatch } from '../domain/lem-device.js';
import { LEM_PARTS, type LemPart, type LemPartOutcome } from '../domain/lem-snapshot.js';
import type { Instant } from '../domain/time.js';
import type { LemBoard } from './lem-board.js';

export interface LemPartStatus {
  readonly lastOkAt: Instant | null;
  /** How old the last good answer is, in ms at the time of asking; null without one. */
  readonly ageMs: number | null;
  readonly last: LemPartOutcome | null;
}

/** The `lem` section of the status: where LEM is, how each part's answers stand, what they say. */
export interface LemStatus {
  readonly upstream: {
    readonly kind: 'sandbox' | 'lem';
    readonly baseUrl: string;
    readonly projectId: string | null;
  };
  readonly schedule: string;
  readonly splaySeconds: number;
  readonly running: boolean;
  /** What became of lem-state.json at start. */
  readonly stateFile: string;
  readonly parts: Readonly<Record<LemPart, LemPartStatus>>;
  readonly pool: {
    readonly stats: LemPoolStats | null;
    readonly skus: readonly LemSku[] | null;
    readonly devices: number | null;
  };
  readonly device: {
    readonly match: LemDeviceMatch;
    /** This device's entries in `used`; null before LEM's first answer about it. */
    readonly entries: readonly LemUsedDevice[] | null;
  };
  readonly serverFeatures: readonly LemServerFeature[] | null;
  readonly licenseFeatures: readonly LemLicenseFeature[] | null;
  /** The `lem:` feature decisions local applications get. */
  readonly decisions: readonly FeatureDecision[];
}

export interface LemStatusParts {
  readonly board: LemBoard;
  readonly upstream: LemStatus['upstream'];
  readonly schedule: string;
  readonly splayMs: number;
  readonly running: boolean;
  readonly stateFile: string;
  readonly match: LemDeviceMatch;
  readonly now: Instant;
}

export function lemStatus(parts: LemStatusParts): LemStatus {
  const snapshot = parts.board.snapshot();
  const partStatus = (part: LemPart): LemPartStatus => {
    const { okAt, last } = snapshot[part];
    return { lastOkAt: okAt, ageMs: okAt === null ? null : Math.max(0, parts.now - okAt), last };
  };
  return {
    upstream: parts.upstream,
    schedule: parts.schedule,
    splaySeconds: parts.splayMs / 1000,
    running: parts.running,
    stateFile: parts.stateFile,
    parts: Object.fromEntries(LEM_PARTS.map((p) => [p, partStatus(p)])) as Record<
      LemPart,
      LemPartStatus
    >,
    pool: {
      stats: snapshot.stats.value,
      skus: snapshot.skus.value,
      devices: snapshot.used.value?.devices ?? null,
    },
    device: { match: parts.match, entries: snapshot.used.value?.own ?? null },
    serverFeatures: snapshot.serverFeatures.value,
    licenseFeatures: snapshot.licenseFeatures.value,
    decisions: parts.board.features(),
  };
}
