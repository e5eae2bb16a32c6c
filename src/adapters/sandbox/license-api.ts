import { checkFeature, parseFeatureCheckQuery } from './feature-check.js';
import { apiError, featureCheckError } from './errors.js';
import { errorReply, ok, type Reply } from './reply.js';
import type { SandboxWorld } from './world.js';

/** `GET /api/v4/device_licenses?hardware_id=` (004): the device's licences, verbatim. */
export function deviceLicenses(query: URLSearchParams, world: SandboxWorld): Reply {
  const hardwareId = query.get('hardware_id');
  if (!hardwareId) return errorReply(apiError('hardware_id_required', 'hardware_id is required'));
  const refusal = world.deviceRefusal(hardwareId);
  if (refusal !== undefined) return errorReply(featureCheckError(refusal));
  return ok(world.licensesOf(hardwareId));
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
