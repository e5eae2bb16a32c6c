import type { LemApi } from '../../agent/lem-ports.js';
import type {
  LemLicenseFeature,
  LemOutcome,
  LemPoolStats,
  LemServerFeature,
  LemSku,
  LemUsedDevice,
  LemUsedLicense,
} from '../../domain/lem.js';
import type { LemListingName } from '../commands/lem.js';
import { isoInstant, renderCsv, renderTable, type Column } from './listing-table.js';

/** A listing's answer, ready for each way of printing it; `json` is the answer as read. */
export interface ListingAnswer {
  readonly json: unknown;
  readonly table: string;
  readonly csv: string;
}

export type ReadListing = (api: LemApi, signal: AbortSignal) => Promise<LemOutcome<ListingAnswer>>;

const STATS: Column<LemPoolStats>[] = [
  { title: 'ACTIVE', name: 'active', value: (s) => s.active },
  { title: 'USED', name: 'used', value: (s) => s.used },
  { title: 'UNUSED', name: 'unused', value: (s) => s.unused },
  { title: 'EXPIRED', name: 'expired', value: (s) => s.expired },
];

const SKUS: Column<LemSku>[] = [
  { title: 'SKU', name: 'licenseSku', value: (s) => s.licenseSku },
  { title: 'COUNT', name: 'count', value: (s) => s.count },
  { title: 'CORE', name: 'isCore', value: (s) => s.isCore },
];

/** One row per licence a device holds; a device holding none still has its row. */
export interface UsedRow {
  readonly device: LemUsedDevice;
  readonly licence: LemUsedLicense | null;
}

const USED: Column<UsedRow>[] = [
  { title: 'DEVICE ID', name: 'deviceId', value: (r) => r.device.deviceId },
  { title: 'NAME', name: 'deviceName', value: (r) => r.device.deviceName, onScreen: false },
  { title: 'FRIENDLY NAME', name: 'deviceFriendlyName', value: (r) => r.device.deviceFriendlyName },
  { title: 'MAC', name: 'macAddress', value: (r) => r.device.macAddress },
  { title: 'SKU', name: 'licenseSku', value: (r) => r.licence?.licenseSku ?? null },
  { title: 'STATUS', name: 'status', value: (r) => r.licence?.status ?? null },
  { title: 'CORE', name: 'isCore', value: (r) => r.licence?.isCore ?? null },
  { title: 'TRIAL', name: 'isTrial', value: (r) => r.licence?.isTrial ?? null },
  {
    title: 'ACTIVATED',
    name: 'activationDate',
    value: (r) => isoInstant(r.licence?.activationDate ?? null),
  },
  { title: 'EXPIRES', name: 'expiryDate', value: (r) => isoInstant(r.licence?.expiryDate ?? null) },
  {
    title: 'FEATURES EXPIRE',
    name: 'expiryFeatureDate',
    value: (r) => isoInstant(r.licence?.expiryFeatureDate ?? r.device.expiryFeatureDate),
  },
  // Kept off the screen: a table on a terminal is read over shoulders and pasted into tickets.
  {
    title: 'LICENCE KEY',
    name: 'licenseKey',
    value: (r) => r.licence?.licenseKey ?? null,
    onScreen: false,
  },
];

const SERVER_FEATURES: Column<LemServerFeature>[] = [
  { title: 'NAME', name: 'name', value: (f) => f.name },
  { title: 'TYPE', name: 'type', value: (f) => f.type },
  { title: 'ENABLED', name: 'enabled', value: (f) => f.enabled },
  { title: 'DESCRIPTION', name: 'description', value: (f) => f.description },
];

const LICENSE_FEATURES: Column<LemLicenseFeature>[] = [
  { title: 'NAME', name: 'name', value: (f) => f.name },
  { title: 'ENABLED', name: 'enabled', value: (f) => f.enabled },
  { title: 'EXPIRES', name: 'expiresAt', value: (f) => isoInstant(f.expiresAt) },
  {
    title: 'COUNT',
    name: 'count',
    value: (f) => f.count,
    shown: (f) => (f.count === -1 ? 'unmetered' : String(f.count)),
  },
  { title: 'LIMITED', name: 'limited', value: (f) => f.limited },
  { title: 'DESCRIPTION', name: 'description', value: (f) => f.description },
];

export function usedRows(devices: readonly LemUsedDevice[]): UsedRow[] {
  return devices.flatMap((device): UsedRow[] =>
    device.licenses.length === 0
      ? [{ device, licence: null }]
      : device.licenses.map((licence) => ({ device, licence })),
  );
}

function listing<T, R>(
  read: (api: LemApi, signal: AbortSignal) => Promise<LemOutcome<T>>,
  columns: readonly Column<R>[],
  rows: (answer: T) => readonly R[],
): ReadListing {
  return async (api, signal) => {
    const outcome = await read(api, signal);
    if (outcome.kind !== 'ok') return outcome;
    const all = rows(outcome.value);
    const value = {
      json: outcome.value,
      table: renderTable(columns, all),
      csv: renderCsv(columns, all),
    };
    return { kind: 'ok', value };
  };
}

export const LISTINGS: Readonly<Record<LemListingName, ReadListing>> = {
  stats: listing(
    (api, signal) => api.poolStats(signal),
    STATS,
    (stats) => [stats],
  ),
  skus: listing(
    (api, signal) => api.skus(signal),
    SKUS,
    (skus) => skus,
  ),
  used: listing((api, signal) => api.allUsed(signal), USED, usedRows),
  features: listing(
    (api, signal) => api.serverFeatures(signal),
    SERVER_FEATURES,
    (f) => f,
  ),
  'license-features': listing(
    (api, signal) => api.licenseFeatures(signal),
    LICENSE_FEATURES,
    (f) => f,
  ),
};
