import type { LemUsedDevice } from './lem.js';

/** How this device is found in LEM's `used` list: its configured LEM device ID, or its MAC. */
export type LemDeviceMatch =
  | { readonly kind: 'device-id'; readonly deviceId: string }
  | { readonly kind: 'mac'; readonly mac: string }
  | { readonly kind: 'none' };

/**
 * This device's entries in `used`. A configured device ID wins over the MAC: an operator sets it
 * when the MAC LEM knows is not the one the agent reads (a replaced NIC, a bonded interface).
 * MACs compare by their twelve hex digits, since LEM and sysfs may write them differently.
 */
export function ownLemDevices(
  devices: readonly LemUsedDevice[],
  match: LemDeviceMatch,
): LemUsedDevice[] {
  switch (match.kind) {
    case 'device-id':
      return devices.filter((d) => d.deviceId === match.deviceId);
    case 'mac': {
      const wanted = macDigits(match.mac);
      if (wanted === null) return [];
      return devices.filter((d) => d.macAddress !== null && macDigits(d.macAddress) === wanted);
    }
    case 'none':
      return [];
    default: {
      const never: never = match;
      return never;
    }
  }
}

/** `AA-BB-CC-DD-EE-FF`, `aa:bb:…` and `aabbccddeeff` are one MAC; anything else is none. */
export function macDigits(text: string): string | null {
  const digits = text.trim().toLowerCase().replace(/[:.-]/g, '');
  return /^[0-9a-f]{12}$/.test(digits) ? digits : null;
}
