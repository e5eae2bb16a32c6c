import { apiError, featureCheckError, type ApiError } from './errors.js';
import type { StoredFeature, StoredLicense } from './license-reader.js';
import type { FeatureCheckBody } from './vendor-types.js';
import type { SandboxWorld } from './world.js';

export interface FeatureCheckQuery {
  readonly hardwareId: string;
  readonly product: string;
  readonly feature: string;
  readonly licenseId: number | undefined;
  readonly identity: { readonly licenseKey: string } | { readonly username: string };
}

export type FeatureCheckResult =
  | { readonly ok: true; readonly body: FeatureCheckBody }
  | { readonly ok: false; readonly error: ApiError };

const MINUTE_MS = 60_000;

/** Reads the 002 query; the vendor needs a licence key or a user name, and the three others. */
export function parseFeatureCheckQuery(query: URLSearchParams): FeatureCheckQuery | ApiError {
  const hardwareId = query.get('hardware_id');
  const product = query.get('product');
  const feature = query.get('feature');
  const licenseKey = query.get('license_key');
  const username = query.get('username');
  const licenseIdText = query.get('license_id');
  if (!hardwareId) return apiError('hardware_id_required', 'hardware_id is required');
  if (!product) return apiError('product_required', 'product is required');
  if (!feature) return apiError('feature_required', 'feature is required');
  if (!licenseKey && !username) {
    return apiError('license_key_or_username_required', 'license_key or username is required');
  }
  const licenseId = licenseIdText ? Number(licenseIdText) : undefined;
  if (licenseId !== undefined && !Number.isSafeInteger(licenseId)) {
    return apiError('license_id_invalid', 'license_id must be an integer');
  }
  const identity = licenseKey ? { licenseKey } : { username: username ?? '' };
  return { hardwareId, product, feature, licenseId, identity };
}

/**
 * Answers one feature check. The checks run in the order the vendor lists its exceptions (002), so
 * a request that is wrong in two ways gets the exception listed first.
 */
export function checkFeature(
  query: FeatureCheckQuery,
  world: SandboxWorld,
  now: number,
): FeatureCheckResult {
  const refused = world.featureRefusal(query.feature);
  if (refused !== undefined) return fail(featureCheckError(refused, query.feature));

  const known = world.licensesForCheck(query.hardwareId);
  const ofProduct = known.filter((license) => license.product_details.short_code === query.product);
  if (ofProduct.length === 0) return fail(featureCheckError('unknown_product'));

  const license = ofProduct.find(
    (candidate) =>
      matchesIdentity(candidate, query.identity) &&
      (query.licenseId === undefined || candidate.id === query.licenseId),
  );
  if (license === undefined) return fail(featureCheckError('license_not_found'));
  if (!license.license_enabled) return fail(featureCheckError('license_not_enabled'));
  if (!license.license_active) return fail(featureCheckError('license_not_active'));

  const deviceRefusal = world.deviceRefusal(query.hardwareId);
  if (deviceRefusal === 'device_not_found' || !deviceHolds(world, query.hardwareId, license.id)) {
    return fail(featureCheckError('device_not_found'));
  }
  if (deviceRefusal === 'blacklisted') return fail(featureCheckError('blacklisted'));

  const feature = license.product_features.find((candidate) => candidate.code === query.feature);
  if (feature === undefined) {
    return fail(featureCheckError('invalid_license_feature_code', query.feature));
  }
  if (!isFloating(feature)) return { ok: true, body: featureBody(license, feature) };

  const inUse = world.floating.take(
    `${license.id}/${feature.code}`,
    query.hardwareId,
    feature.floating_users ?? license.floating_users ?? 1,
    (feature.floating_timeout ?? license.floating_timeout ?? 120) * MINUTE_MS,
    now,
  );
  if (inUse === null) return fail(featureCheckError('floating_not_available'));
  return { ok: true, body: { ...featureBody(license, feature), floating_in_use_devices: inUse } };
}

function matchesIdentity(license: StoredLicense, identity: FeatureCheckQuery['identity']): boolean {
  if ('licenseKey' in identity) return license.license_key === identity.licenseKey;
  return license.user?.email === identity.username;
}

function deviceHolds(world: SandboxWorld, hardwareId: string, licenseId: number): boolean {
  return world.licensesForDevice(hardwareId).some((license) => license.id === licenseId);
}

function isFloating(feature: StoredFeature): boolean {
  return feature.is_floating === true || feature.is_floating_cloud === true;
}

/** The 002 body; fields a feature does not carry take the values of the 002 example (fixtures). */
function featureBody(license: StoredLicense, feature: StoredFeature): FeatureCheckBody {
  return {
    allow_negative_consumptions: false,
    allow_overages: feature.allow_overages ?? false,
    allow_unlimited_consumptions: feature.allow_unlimited_consumptions ?? false,
    code: feature.code,
    consumption_period: feature.consumption_period ?? '',
    expiry_date: feature.expiry_date ?? null,
    feature_type: feature.feature_type,
    id: feature.id,
    is_floating_cloud: feature.is_floating_cloud ?? false,
    is_floating: feature.is_floating ?? false,
    license_id: license.id,
    max_consumption: feature.max_consumption ?? 0,
    max_overages: feature.max_overages ?? 0,
    metadata: feature.metadata ?? {},
    name: feature.name,
    reset_consumption: feature.reset_consumption ?? false,
    total_consumptions: feature.total_consumptions ?? 0,
  };
}

function fail(error: ApiError): FeatureCheckResult {
  return { ok: false, error };
}
