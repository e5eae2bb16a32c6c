import type { JsonValue } from './vendor-types.js';

interface Activatable {
  readonly license: JsonValue;
  readonly product: string;
  readonly maxActivations: number;
  readonly devices: Set<string>;
}

/**
 * Licences that are bound to a device only by `activate_license`, each with the vendor's
 * `max_activations`: activating takes one for a new hardware ID, again for the same ID takes
 * none, and `deactivate_license` gives it back.
 */
export class ActivationPool {
  private readonly byKey = new Map<string, Activatable>();

  add(key: string, product: string, license: JsonValue, maxActivations: number): void {
    this.byKey.set(key, { license, product, maxActivations, devices: new Set() });
  }

  /** The licence for `key` if it exists (and is of `product`). */
  find(key: string): { readonly product: string; readonly license: JsonValue } | undefined {
    return this.byKey.get(key);
  }

  activate(key: string, hardwareId: string): 'activated' | 'already' | 'limit' | 'unknown' {
    const entry = this.byKey.get(key);
    if (entry === undefined) return 'unknown';
    if (entry.devices.has(hardwareId)) return 'already';
    if (entry.devices.size >= entry.maxActivations) return 'limit';
    entry.devices.add(hardwareId);
    return 'activated';
  }

  deactivate(key: string, hardwareId: string): boolean {
    return this.byKey.get(key)?.devices.delete(hardwareId) ?? false;
  }

  /** The licences activated on this device, as `device_licenses` lists them. */
  activatedOn(hardwareId: string): JsonValue[] {
    return [...this.byKey.values()].filter((e) => e.devices.has(hardwareId)).map((e) => e.license);
  }

  /** How many devices hold an activation of `key`: what a test reads. */
  activations(key: string): number {
    return this.byKey.get(key)?.devices.size ?? 0;
  }
}
