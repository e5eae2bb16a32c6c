import type { LemPartStatus, LemStatus } from '../../agent/lem-status.js';
import type { LemUsedDevice } from '../../domain/lem.js';
import { presentFeature } from './present.js';

function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

function presentPart(part: LemPartStatus) {
  return {
    lastOkAt: iso(part.lastOkAt),
    ageSeconds: part.ageMs === null ? null : Math.round(part.ageMs / 1000),
    last:
      part.last === null
        ? null
        : {
            at: iso(part.last.at),
            kind: part.last.kind,
            outcome: part.last.label,
            message: part.last.message,
          },
  };
}

// Licence keys are dropped when the answer is kept; none is here to show.
function presentEntry(device: LemUsedDevice) {
  return {
    deviceId: device.deviceId,
    deviceName: device.deviceName,
    deviceFriendlyName: device.deviceFriendlyName,
    macAddress: device.macAddress,
    featureExpiresAt: iso(device.expiryFeatureDate),
    licenses: device.licenses.map((l) => ({
      id: l.id,
      sku: l.licenseSku,
      status: l.status,
      core: l.isCore,
      trial: l.isTrial,
      activatedAt: iso(l.activationDate),
      expiresAt: iso(l.expiryDate),
      featureExpiresAt: iso(l.expiryFeatureDate),
    })),
  };
}

/** The `lem` section of `/v1/status`. */
export function presentLem(lem: LemStatus) {
  const match = lem.device.match;
  return {
    upstream: lem.upstream,
    schedule: lem.schedule,
    splaySeconds: lem.splaySeconds,
    running: lem.running,
    stateFile: lem.stateFile,
    parts: Object.fromEntries(Object.entries(lem.parts).map(([k, v]) => [k, presentPart(v)])),
    pool: lem.pool,
    device: {
      foundBy:
        match.kind === 'device-id'
          ? { deviceId: match.deviceId }
          : match.kind === 'mac'
            ? { macAddress: match.mac }
            : null,
      entries: lem.device.entries?.map(presentEntry) ?? null,
    },
    serverFeatures: lem.serverFeatures,
    licenseFeatures:
      lem.licenseFeatures?.map((f) => ({
        name: f.name,
        description: f.description,
        enabled: f.enabled,
        expiresAt: iso(f.expiresAt),
        count: f.count,
        limited: f.limited,
      })) ?? null,
    features: lem.decisions.map(presentFeature),
  };
}
