import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SavedState, StateLoadFailure } from '../../agent/state-ports.js';
import { canonicalJson } from './canonical-json.js';

export const STATE_FORMAT = 'edge-license-agent/state';
/** Bumped when the envelope or the state's shape changes; a newer file is refused, not guessed at. */
export const STATE_VERSION = 1;

/** What `state.json` holds. Everything but `mac` is covered by `mac`. */
export interface Envelope {
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_VERSION;
  readonly hardwareId: string;
  /** Not yet checked: only the MAC says it is ours, only the schema says it is a SavedState. */
  readonly state: unknown;
  readonly mac: string;
}

export type EnvelopeRead =
  | { readonly kind: 'envelope'; readonly envelope: Envelope }
  | { readonly kind: 'refused'; readonly reason: StateLoadFailure; readonly detail: string };

const MAC_HEX = /^[0-9a-f]{64}$/;
const ENVELOPE_KEYS = ['format', 'hardwareId', 'mac', 'state', 'version'];
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

export function sealEnvelope(state: SavedState, deviceSecret: Uint8Array): Uint8Array {
  const unsealed: Omit<Envelope, 'mac'> = {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    hardwareId: state.hardwareId,
    state,
  };
  const envelope = { ...unsealed, mac: macOf(unsealed, deviceSecret) };
  // Indented for the operator who opens it; the MAC does not depend on the layout.
  return Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8');
}

/**
 * Reads the envelope's frame: UTF-8, JSON, our format, our version, exactly our five keys. It
 * says nothing yet about whether the content is genuine; `macMatches` does.
 */
export function openEnvelope(bytes: Uint8Array): EnvelopeRead {
  let data: unknown;
  try {
    data = JSON.parse(fatalUtf8.decode(bytes));
  } catch {
    // Truncation, flipped bytes and garbage all end here.
    return corrupt(bytes.length === 0 ? 'empty file' : 'not UTF-8 JSON');
  }
  if (!isRecord(data) || data.format !== STATE_FORMAT) return corrupt('not a state file');
  if (data.version !== STATE_VERSION) {
    const found = data.version === undefined ? 'missing' : clip(JSON.stringify(data.version));
    return {
      kind: 'refused',
      reason: 'unsupported_version',
      detail: `version ${found}, expected ${STATE_VERSION}`,
    };
  }
  const keys = Object.keys(data).sort();
  if (keys.join() !== ENVELOPE_KEYS.join()) return corrupt('unexpected or missing envelope keys');
  if (typeof data.hardwareId !== 'string') return corrupt('hardwareId is not a string');
  if (typeof data.mac !== 'string') return corrupt('mac is not a string');
  return {
    kind: 'envelope',
    envelope: {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      hardwareId: data.hardwareId,
      state: data.state,
      mac: data.mac,
    },
  };
}

/** Constant-time, so that how much of a forged MAC was right cannot be learnt from timing. */
export function macMatches(envelope: Envelope, deviceSecret: Uint8Array): boolean {
  if (!MAC_HEX.test(envelope.mac)) return false;
  const { mac, ...unsealed } = envelope;
  const expected = Buffer.from(macOf(unsealed, deviceSecret), 'hex');
  return timingSafeEqual(Buffer.from(mac, 'hex'), expected);
}

/**
 * HMAC-SHA256 over the canonical form of everything but the MAC. The key is derived from the
 * device secret *and* the hardware ID, so a MAC made on one device, or for another hardware ID
 * with the same secret, never verifies here even if the secret file was copied along.
 */
function macOf(unsealed: Omit<Envelope, 'mac'>, deviceSecret: Uint8Array): string {
  const key = createHmac('sha256', deviceSecret)
    .update(`edge-license-agent state v${STATE_VERSION}|${unsealed.hardwareId}`, 'utf8')
    .digest();
  return createHmac('sha256', key).update(canonicalJson(unsealed), 'utf8').digest('hex');
}

/** Text taken from the file goes into a log line: keep it short whatever the file holds. */
export function clip(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

function corrupt(detail: string): EnvelopeRead {
  return { kind: 'refused', reason: 'corrupt', detail };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
