import type { FeatureCheckErrorCode } from './errors.js';
import { ActivationPool } from './activation-pool.js';
import { FloatingSlots } from './floating-slots.js';
import { readLicense, type StoredLicense } from './license-reader.js';
import type { JsonValue } from './vendor-types.js';

/** How a device can be turned away before any licence is looked at. */
export type DeviceRefusalCode = 'blacklisted' | 'device_not_found';

/**
 * Everything the sandbox knows: which licences each device holds, and the refusals a test has
 * imposed. Devices nobody configured hold the default licences, so a new device works untouched.
 */
export class SandboxWorld {
  readonly floating = new FloatingSlots();
  /** Licences bound to a device only once it activates them. */
  readonly activations = new ActivationPool();
  private readonly devices = new Map<string, readonly JsonValue[]>();
  private readonly deviceRefusals = new Map<string, DeviceRefusalCode>();
  private readonly featureRefusals = new Map<string, FeatureCheckErrorCode>();

  constructor(
    private readonly defaultLicenses: readonly JsonValue[],
    devices: Readonly<Record<string, readonly JsonValue[]>>,
  ) {
    for (const [hardwareId, licenses] of Object.entries(devices)) {
      this.devices.set(hardwareId, licenses);
    }
  }

  licensesOf(hardwareId: string): readonly JsonValue[] {
    const held = this.devices.get(hardwareId) ?? this.defaultLicenses;
    const activated = this.activations.activatedOn(hardwareId);
    return activated.length === 0 ? held : [...held, ...activated];
  }

  /** The device's licences that a feature check can read. */
  licensesForDevice(hardwareId: string): readonly StoredLicense[] {
    return this.licensesOf(hardwareId).flatMap((json) => readLicense(json) ?? []);
  }

  /**
   * Readable licences for a feature check, the device's own first: a licence changed for one
   * device (disabled, say) is what that device is answered about.
   */
  licensesForCheck(hardwareId: string): readonly StoredLicense[] {
    const all = [this.licensesOf(hardwareId), this.defaultLicenses, ...this.devices.values()];
    // (Activated licences are among the device's own, listed first.)
    return all.flat().flatMap((json) => readLicense(json) ?? []);
  }

  setDeviceLicenses(hardwareId: string, licenses: readonly JsonValue[]): void {
    this.devices.set(hardwareId, licenses);
  }

  deviceRefusal(hardwareId: string): DeviceRefusalCode | undefined {
    return this.deviceRefusals.get(hardwareId);
  }

  refuseDevice(hardwareId: string, code: DeviceRefusalCode): void {
    this.deviceRefusals.set(hardwareId, code);
  }

  featureRefusal(feature: string): FeatureCheckErrorCode | undefined {
    return this.featureRefusals.get(feature);
  }

  refuseFeature(feature: string, code: FeatureCheckErrorCode): void {
    this.featureRefusals.set(feature, code);
  }

  clearRefusals(): void {
    this.deviceRefusals.clear();
    this.featureRefusals.clear();
  }
}
