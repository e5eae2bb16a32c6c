import type {
  LemLicenseFeature,
  LemOutcome,
  LemPoolStats,
  LemServerFeature,
  LemSku,
  LemUsedDevice,
} from './lem.js';
import { lemOutcomeLabel } from './lem.js';
import { ownLemDevices, type LemDeviceMatch } from './lem-device.js';
import type { Instant } from './time.js';

/** The parts of LEM the agent reads on each poll, each kept and failing on its own. */
export type LemPart = 'stats' | 'skus' | 'used' | 'serverFeatures' | 'licenseFeatures';

export const LEM_PARTS: readonly LemPart[] = [
  'stats',
  'skus',
  'used',
  'serverFeatures',
  'licenseFeatures',
];

/** How the latest call for one part ended; the message is the client's, already actionable. */
export interface LemPartOutcome {
  readonly at: Instant;
  readonly kind: LemOutcome<unknown>['kind'];
  /** Bounded: `ok`, a refusal code, an unreachable cause or `malformed`. */
  readonly label: string;
  readonly message: string | null;
}

/** One part's last good answer and the latest outcome, which may be newer and a failure. */
export interface LemPartState<T> {
  readonly value: T | null;
  readonly okAt: Instant | null;
  readonly last: LemPartOutcome | null;
}

/** What `used` is kept as: this device's own entries (no licence keys) and the pool's size. */
export interface LemUsedSummary {
  readonly devices: number;
  readonly own: readonly LemUsedDevice[];
}

export interface LemSnapshot {
  readonly stats: LemPartState<LemPoolStats>;
  readonly skus: LemPartState<readonly LemSku[]>;
  readonly used: LemPartState<LemUsedSummary>;
  readonly serverFeatures: LemPartState<readonly LemServerFeature[]>;
  readonly licenseFeatures: LemPartState<readonly LemLicenseFeature[]>;
}

const nothing = { value: null, okAt: null, last: null } as const;

export const emptyLemSnapshot: LemSnapshot = {
  stats: nothing,
  skus: nothing,
  used: nothing,
  serverFeatures: nothing,
  licenseFeatures: nothing,
};

/** One poll's answers, one per part. */
export interface LemPoll {
  readonly stats: LemOutcome<LemPoolStats>;
  readonly skus: LemOutcome<readonly LemSku[]>;
  readonly used: LemOutcome<readonly LemUsedDevice[]>;
  readonly serverFeatures: LemOutcome<readonly LemServerFeature[]>;
  readonly licenseFeatures: LemOutcome<readonly LemLicenseFeature[]>;
}

/**
 * Folds one poll into the snapshot: a part that answered replaces its value, a part that failed
 * keeps the previous one and records why. Of `used` only this device's entries are kept, without
 * their licence keys: nothing the agent shows or decides needs a key, so none is held or saved.
 */
export function applyLemPoll(
  snapshot: LemSnapshot,
  poll: LemPoll,
  at: Instant,
  match: LemDeviceMatch,
): LemSnapshot {
  return {
    stats: fold(snapshot.stats, poll.stats, at, (v) => v),
    skus: fold(snapshot.skus, poll.skus, at, (v) => v),
    used: fold(snapshot.used, poll.used, at, (devices) => ({
      devices: devices.length,
      own: ownLemDevices(devices, match).map(withoutKeys),
    })),
    serverFeatures: fold(snapshot.serverFeatures, poll.serverFeatures, at, (v) => v),
    licenseFeatures: fold(snapshot.licenseFeatures, poll.licenseFeatures, at, (v) => v),
  };
}

function fold<T, K>(
  held: LemPartState<K>,
  outcome: LemOutcome<T>,
  at: Instant,
  keep: (value: T) => K,
): LemPartState<K> {
  const last: LemPartOutcome = {
    at,
    kind: outcome.kind,
    label: lemOutcomeLabel(outcome),
    message: outcomeMessage(outcome),
  };
  if (outcome.kind === 'ok') return { value: keep(outcome.value), okAt: at, last };
  return { ...held, last };
}

function outcomeMessage(outcome: LemOutcome<unknown>): string | null {
  switch (outcome.kind) {
    case 'ok':
      return null;
    case 'refused':
    case 'unreachable':
    case 'invalid-input':
      return outcome.message;
    case 'malformed':
      return `LEM answered with a body that does not match its document: ${outcome.detail}`;
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

function withoutKeys(device: LemUsedDevice): LemUsedDevice {
  return { ...device, licenses: device.licenses.map((l) => ({ ...l, licenseKey: null })) };
}
