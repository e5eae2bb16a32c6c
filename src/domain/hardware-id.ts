/**
 * The facts a hardware ID is composed from. Each is optional because an unprivileged, hardened
 * service may not be able to read it (DMI files are root-only), and that is normal.
 */
export interface HardwareComponents {
  /** Permanent MAC of the primary physical NIC, lower-case, colon-separated. */
  readonly mac: string | null;
  /** /etc/machine-id: unique per installed system, copied by disk cloning. */
  readonly machineId: string | null;
  /** DMI system UUID: unique per mainboard, not copied by disk cloning. */
  readonly dmiUuid: string | null;
}

export type HardwareComponentName = keyof HardwareComponents;
