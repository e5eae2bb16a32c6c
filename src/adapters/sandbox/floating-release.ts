import { apiError, featureCheckError, type ApiError } from './errors.js';
import { errorReply, ok, type Reply } from './reply.js';
import type { SandboxWorld } from './world.js';

export const FLOATING_RELEASE_PATH = 'floating/release';
export const FEATURE_RELEASE_PATH = 'floating/feature_release';

/**
 * `POST floating/release` and `POST floating/feature_release` (vendor Node SDK 1.4.17): the body
 * names the device, the product, the licence by key or user (and `license_id` to pick one), and
 * for a feature its code. The device's slot is freed at once; freeing a slot it does not hold
 * answers the same, as a repeated release must not look like a failure. The vendor documents no
 * body for the answer: the sandbox sends `{}`, signed like every License API answer.
 */
export function floatingRelease(
  what: 'license' | 'feature',
  bodyText: string,
  world: SandboxWorld,
): Reply {
  const body = readBody(bodyText);
  const text = (name: string): string | undefined => {
    const value = body[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const hardwareId = text('hardware_id');
  const product = text('product');
  const feature = text('feature');
  const licenseKey = text('license_key');
  const username = text('username');
  const licenseId = body['license_id'];
  if (hardwareId === undefined) return fail('hardware_id_required', 'hardware_id is required');
  if (product === undefined) return fail('product_required', 'product is required');
  if (what === 'feature' && feature === undefined) {
    return fail('feature_required', 'feature is required');
  }
  if (licenseKey === undefined && username === undefined) {
    return fail('license_key_or_username_required', 'license_key or username is required');
  }
  if (licenseId !== undefined && !Number.isSafeInteger(licenseId)) {
    return fail('license_id_invalid', 'license_id must be an integer');
  }

  const ofProduct = world
    .licensesForCheck(hardwareId)
    .filter((license) => license.product_details.short_code === product);
  if (ofProduct.length === 0) return errorReply(featureCheckError('unknown_product'));
  const license = ofProduct.find(
    (candidate) =>
      (licenseKey !== undefined
        ? candidate.license_key === licenseKey
        : candidate.user?.email === username) &&
      (licenseId === undefined || candidate.id === licenseId),
  );
  if (license === undefined) return errorReply(featureCheckError('license_not_found'));
  if (feature === undefined) {
    world.floating.release(String(license.id), hardwareId);
    return ok({});
  }
  if (!license.product_features.some((candidate) => candidate.code === feature)) {
    return errorReply(featureCheckError('invalid_license_feature_code', feature));
  }
  world.floating.release(`${String(license.id)}/${feature}`, hardwareId);
  return ok({});
}

/** An unreadable body names nothing: it is answered as one missing every field. */
function readBody(text: string): Readonly<Record<string, unknown>> {
  try {
    const json = JSON.parse(text) as unknown;
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function fail(code: ApiError['code'], message: string): Reply {
  return errorReply(apiError(code, message));
}
