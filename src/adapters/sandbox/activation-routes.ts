import type { KeyObject } from 'node:crypto';
import { apiError, featureCheckError, type ApiError } from './errors.js';
import { signedFor } from './license-api.js';
import { errorReply, ok, type Reply } from './reply.js';
import type { SandboxWorld } from './world.js';

export const ACTIVATE_PATH = 'activate_license';
export const DEACTIVATE_PATH = 'deactivate_license';

/**
 * `POST activate_license` (vendor Node SDK 1.4.17): binds a licence key to the hardware ID. An
 * activation the device already holds answers as a new one does, with the licence signed for it;
 * a key at its `max_activations` is refused with a 400. Only key-based activation is imitated.
 */
export function activateLicense(body: string, world: SandboxWorld, privateKey: KeyObject): Reply {
  const asked = readAsked(body);
  if ('status' in asked) return errorReply(asked);
  const { hardwareId, product, key } = asked;
  const listed = world
    .licensesOf(hardwareId)
    .find((json) => isObject(json) && json['license_key'] === key);
  if (listed !== undefined) return ok(signedFor(hardwareId, listed, privateKey));
  const found = world.activations.find(key);
  if (found === undefined) return errorReply(featureCheckError('license_not_found'));
  if (found.product !== product) return errorReply(featureCheckError('unknown_product'));
  switch (world.activations.activate(key, hardwareId)) {
    case 'limit':
      return fail(
        'license_activation_limit_reached',
        'The license has reached its maximum number of activations',
      );
    case 'unknown':
      return errorReply(featureCheckError('license_not_found'));
    case 'activated':
    case 'already':
      return ok(signedFor(hardwareId, found.license, privateKey));
  }
}

/** `POST deactivate_license`: gives the device's activation of the key back. */
export function deactivateLicense(body: string, world: SandboxWorld): Reply {
  const asked = readAsked(body);
  if ('status' in asked) return errorReply(asked);
  const found = world.activations.find(asked.key);
  if (found === undefined) return errorReply(featureCheckError('license_not_found'));
  if (!world.activations.deactivate(asked.key, asked.hardwareId)) {
    return fail('license_not_activated', 'The license is not activated on this device');
  }
  return ok({});
}

function readAsked(
  text: string,
): ApiError | { readonly hardwareId: string; readonly product: string; readonly key: string } {
  let body: Record<string, unknown> = {};
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === 'object' && json !== null && !Array.isArray(json))
      body = json as Record<string, unknown>;
  } catch {
    // Unreadable: answered as a body missing every field.
  }
  const field = (name: string) => {
    const value = body[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const hardwareId = field('hardware_id');
  const product = field('product');
  const key = field('license_key');
  if (hardwareId === undefined) return apiError('hardware_id_required', 'hardware_id is required');
  if (product === undefined) return apiError('product_required', 'product is required');
  if (key === undefined) return apiError('license_key_required', 'license_key is required');
  return { hardwareId, product, key };
}

function fail(code: ApiError['code'], message: string): Reply {
  return errorReply(apiError(code, message));
}

function isObject(json: unknown): json is Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}
