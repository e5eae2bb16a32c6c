import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StateLoadFailure } from '../../agent/state-ports.js';

/**
 * Reads a `state.json` of format version 1, which the previous release wrote: the state in clear
 * beside an HMAC-SHA256 keyed from `device.key` and the hardware ID. It is read once, only to be
 * sealed again as version 2 at once, so that an upgrade keeps the device's saved answers and its
 * offline grace instead of starting `unknown` until the next sync. Nothing else writes it.
 */
export type LegacyRead =
  | { readonly kind: 'legacy'; readonly hardwareId: string; readonly state: unknown }
  | { readonly kind: 'refused'; readonly reason: StateLoadFailure; readonly detail: string };

const LEGACY_VERSION = 1;
const MAC_HEX = /^[0-9a-f]{64}$/;
const KEYS = ['format', 'hardwareId', 'mac', 'state', 'version'];

/** The frame of a version 1 file, checked as strictly as version 1 itself checked it. */
export function openLegacyV1(data: Readonly<Record<string, unknown>>): LegacyRead {
  if (Object.keys(data).sort().join() !== KEYS.join()) {
    return corrupt('version 1: unexpected or missing envelope keys');
  }
  if (typeof data['hardwareId'] !== 'string')
    return corrupt('version 1: hardwareId is not a string');
  return { kind: 'legacy', hardwareId: data['hardwareId'], state: data['state'] };
}

/** Constant-time, as version 1 checked it: whether this device, for this hardware ID, wrote it. */
export function legacyMacMatches(
  data: Readonly<Record<string, unknown>>,
  deviceSecret: Uint8Array,
): boolean {
  const { mac, ...unsealed } = data;
  if (typeof mac !== 'string' || !MAC_HEX.test(mac)) return false;
  const key = createHmac('sha256', deviceSecret)
    .update(`edge-license-agent state v${LEGACY_VERSION}|${String(unsealed['hardwareId'])}`, 'utf8')
    .digest();
  const expected = createHmac('sha256', key).update(canonicalJson(unsealed), 'utf8').digest();
  return timingSafeEqual(Buffer.from(mac, 'hex'), expected);
}

/**
 * Version 1's canonical JSON: keys sorted at every depth, no whitespace, `undefined` members left
 * out. The MAC was computed over this, so it must be reproduced exactly.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Readonly<Record<string, unknown>>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  // Parsed JSON holds no undefined, function or symbol: stringify always answers text here.
  return JSON.stringify(value);
}

function corrupt(detail: string): LegacyRead {
  return { kind: 'refused', reason: 'corrupt', detail };
}
