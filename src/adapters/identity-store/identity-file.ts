import type { HardwareComponents, StoredIdentity } from '../../domain/hardware-id.js';

/** Bumped when the file's shape changes; a file from a newer agent is reported, not guessed at. */
export const IDENTITY_FILE_VERSION = 1;

export type ParsedIdentity =
  | { readonly kind: 'parsed'; readonly identity: StoredIdentity }
  | { readonly kind: 'invalid'; readonly reason: string };

export function serialiseIdentity(identity: StoredIdentity): string {
  const file = {
    version: IDENTITY_FILE_VERSION,
    hardwareId: identity.hardwareId,
    components: {
      mac: identity.components.mac,
      machineId: identity.components.machineId,
      dmiUuid: identity.components.dmiUuid,
    },
    ...(identity.enrolledAt === undefined ? {} : { enrolledAt: identity.enrolledAt }),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Checks every field the agent relies on; anything else in the file is ignored. */
export function parseIdentity(text: string): ParsedIdentity {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return invalid('not JSON');
  }
  if (!isRecord(data)) return invalid('not a JSON object');
  if (data.version !== IDENTITY_FILE_VERSION) {
    const found = data.version === undefined ? 'missing' : JSON.stringify(data.version);
    return invalid(`unsupported version: ${found}`);
  }
  if (typeof data.hardwareId !== 'string' || data.hardwareId.trim() === '') {
    return invalid('hardwareId is not a non-empty string');
  }
  const components = data.components;
  if (!isRecord(components)) return invalid('components is not an object');
  const mac = components.mac;
  const machineId = components.machineId;
  const dmiUuid = components.dmiUuid;
  if (!isNullableString(mac)) return invalid('components.mac is not a string or null');
  if (!isNullableString(machineId)) return invalid('components.machineId is not a string or null');
  if (!isNullableString(dmiUuid)) return invalid('components.dmiUuid is not a string or null');
  const read: HardwareComponents = { mac, machineId, dmiUuid };
  const enrolledAt = data.enrolledAt;
  if (
    enrolledAt !== undefined &&
    !(typeof enrolledAt === 'number' && Number.isFinite(enrolledAt))
  ) {
    return invalid('enrolledAt is not a number');
  }
  const identity: StoredIdentity =
    enrolledAt === undefined
      ? { hardwareId: data.hardwareId, components: read }
      : { hardwareId: data.hardwareId, components: read, enrolledAt };
  return { kind: 'parsed', identity };
}

function invalid(reason: string): ParsedIdentity {
  return { kind: 'invalid', reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullableString(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}
