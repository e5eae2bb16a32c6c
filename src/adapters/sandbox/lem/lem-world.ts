/**
 * What the LEM sandbox serves: a small pool whose first used licence is bound to the MAC the
 * caller passes (this machine's, in the product), spread over several `used` pages so paging is
 * exercised. Shapes follow the document's examples, extra fields included.
 */

export const SANDBOX_PROJECT_ID = '39abjcmqdc6r4gsctj7zjufnv';

/** 2026-08-08T23:59:59Z, the document's example: the default, for tests against the document. */
export const DOCUMENT_EXPIRY = 1786233599000;
const ACTIVATED = 1754697600000;

export interface SandboxUsedLicense {
  readonly id: string;
  readonly licenseKey: string;
  readonly licenseSku: string;
  readonly activationDate: number | null;
  readonly expiryDate: number;
  readonly isCore: boolean;
  readonly isTrial: boolean;
  readonly status: string;
}

export interface SandboxDevice {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly deviceFriendlyName: string;
  readonly macAddress: string;
  readonly licenses: readonly SandboxUsedLicense[];
}

export function sandboxDevices(
  deviceMac: string,
  count: number,
  expiry: number = DOCUMENT_EXPIRY,
): SandboxDevice[] {
  const devices: SandboxDevice[] = [];
  for (let i = 0; i < count; i++) {
    const mac = i === 0 ? deviceMac : `02:00:00:00:00:${i.toString(16).padStart(2, '0')}`;
    const compact = mac.replaceAll(':', '');
    const core = i % 3 !== 2;
    devices.push({
      deviceId: `sandbox-device-${String(i).padStart(3, '0')}`,
      deviceName: `litmus-edge-${compact}`,
      deviceFriendlyName: i === 0 ? `This device (${mac})` : `Line ${i} (${mac})`,
      macAddress: mac,
      licenses: [
        {
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          licenseKey: `SBX${String(i).padStart(1, '0')}-0000-0000-${String(i).padStart(4, '0')}`,
          licenseSku: core ? 'litmusedge-scale-nl' : 'litmusedge-addon-ai',
          activationDate: i === 0 ? null : ACTIVATED,
          expiryDate: expiry,
          isCore: core,
          isTrial: i === 4,
          status: 'OK',
        },
      ],
    });
  }
  return devices;
}

export function usedElement(
  projectId: string,
  device: SandboxDevice,
  expiry: number = DOCUMENT_EXPIRY,
): unknown {
  return {
    projectId,
    deviceId: device.deviceId,
    deviceName: device.deviceName,
    deviceFriendlyName: device.deviceFriendlyName,
    macAddress: device.macAddress,
    expiryFeatureDate: expiry,
    licenses: device.licenses.map((l) => ({
      id: l.id,
      companyName: null,
      projectId,
      projectName: null,
      deviceId: device.deviceId,
      deviceName: null,
      deviceFriendlyName: null,
      macAddress: null,
      licenseKey: l.licenseKey,
      licenseSku: l.licenseSku,
      activationDate: l.activationDate,
      expiryDate: l.expiryDate,
      isCore: l.isCore,
      isTrial: l.isTrial,
      status: l.status,
      origin: 'EDGE',
      reservedUntil: null,
      votmSensorCount: null,
      expiryFeatureDate: expiry,
      trial: l.isTrial,
      core: l.isCore,
    })),
  };
}

export function skus(devices: readonly SandboxDevice[]): unknown[] {
  const counts = new Map<string, { count: number; core: boolean }>();
  for (const license of devices.flatMap((d) => d.licenses)) {
    const entry = counts.get(license.licenseSku) ?? { count: 0, core: license.isCore };
    counts.set(license.licenseSku, { count: entry.count + 1, core: entry.core });
  }
  // One unused core licence sits in the pool besides those in use.
  const core = counts.get('litmusedge-scale-nl');
  if (core) core.count += 1;
  return [...counts].map(([licenseSku, { count, core: isCore }]) => ({
    licenseSku,
    count,
    isCore,
    core: isCore,
  }));
}

export function stats(devices: readonly SandboxDevice[]): unknown {
  const used = devices.flatMap((d) => d.licenses).length;
  return { active: used, used, unused: 1, expired: 0 };
}

export const SERVER_FEATURES = [
  ['EdgeEvents', 'Edge events management', 'EXPERIMENTAL', 1, 1597449600000],
  ['DigitalTwin', 'Asset Management', 'EXPERIMENTAL', 0, 1597449600000],
  ['OmaRegistry', 'OMA Registry management', 'STABLE', 1, 1597449600000],
  ['RemoteUI', 'Edge device remote UI', 'STABLE', 1, 1613779200000],
  [
    'ParameterizedTemplates',
    'Edge device parameterized templates management',
    'STABLE',
    1,
    1615420800000,
  ],
  ['EdgeRemoteNetwork', 'Edge Remote Networks management', 'STABLE', 1, 1616716800000],
].map(([name, description, type, enabled, createdOn], index) => ({
  entryID: index + 1,
  name,
  description,
  type,
  enabled,
  createdOn,
  updatedOn: null,
}));

export const licenseFeatures = (expiry: number = DOCUMENT_EXPIRY): unknown[] =>
  ['core', 'catalog', 'analytics'].map((name) => ({
    name,
    desc: name,
    expires: new Date(expiry).toISOString().replace('.000Z', 'Z'),
    expiresTimestamp: expiry,
    count: -1,
    limited: false,
    enabled: name !== 'analytics',
  }));
