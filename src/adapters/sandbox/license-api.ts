import type { KeyObject } from 'node:crypto';
import { licenseSignedText, signLicense } from '../licensespring/license-signature.js';
import { checkFeature, parseFeatureCheckQuery } from './feature-check.js';
import { apiError, featureCheckError } from './errors.js';
import { errorReply, ok, type Reply } from './reply.js';
import type { JsonObject, JsonValue } from './vendor-types.js';
import type { SandboxWorld } from './world.js';

/**
 * `GET /api/v4/device_licenses?hardware_id=` (004): the device's licences, verbatim but for the
 * per-licence `license_signature`, which the vendor computes for the device that asks.
 */
export function deviceLicenses(
  query: URLSearchParams,
  world: SandboxWorld,
  privateKey: KeyObject,
): Reply {
  const hardwareId = query.get('hardware_id');
  if (!hardwareId) return errorReply(apiError('hardware_id_required', 'hardware_id is required'));
  const refusal = world.deviceRefusal(hardwareId);
  if (refusal !== undefined) return errorReply(featureCheckError(refusal));
  return ok(world.licensesOf(hardwareId).map((json) => signedFor(hardwareId, json, privateKey)));
}

/** `GET /api/v4/check_license_feature` (002). */
export function checkLicenseFeature(
  query: URLSearchParams,
  world: SandboxWorld,
  now: number,
): Reply {
  const parsed = parseFeatureCheckQuery(query);
  if ('code' in parsed) return errorReply(parsed);
  const result = checkFeature(parsed, world, now);
  return result.ok ? ok(result.body) : errorReply(result.error);
}

/** A licence without a key or a user cannot be signed (the vendor has none to sign over). */
export function signedFor(hardwareId: string, json: JsonValue, privateKey: KeyObject): JsonValue {
  if (!isObject(json)) return json;
  if (licenseSignedText(hardwareId, json) === null) return json;
  return { ...json, license_signature: signLicense(hardwareId, json, privateKey) };
}

// Array.isArray does not narrow a readonly array out of the union.
function isObject(json: JsonValue): json is JsonObject {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}
