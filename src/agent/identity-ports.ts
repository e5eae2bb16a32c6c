import type {
  HardwareComponentName,
  HardwareComponents,
  StoredIdentity,
} from '../domain/hardware-id.js';

/** One place a component was looked for, and what was found there. Shown by `hwid`. */
export interface FactAttempt {
  /** A path, or a description of the source. */
  readonly source: string;
  readonly result:
    | 'used'
    | 'not-found'
    | 'permission-denied'
    /** Readable, but a placeholder no vendor meant as unique (all zeros, `Not Settable`, …). */
    | 'placeholder'
    | 'malformed'
    | 'error';
  readonly detail?: string;
}

/** Why an interface cannot be the one whose MAC identifies the machine. */
export type NicRejection =
  /** `type` is not ARPHRD_ETHER (loopback, tun, CAN, …). */
  | 'not-ethernet'
  | 'bridge'
  | 'bond'
  /** Under /sys/devices/virtual: veth, docker, tun, dummy, vlan, … */
  | 'virtual'
  | 'no-device-link'
  | 'no-address'
  /** Randomised, stolen or set by software, and the permanent address is not known. */
  | 'address-not-permanent'
  | 'all-zero-address'
  | 'locally-administered-address'
  | 'multicast-address'
  | 'unreadable';

export type NicMedium = 'wired' | 'wireless';

/** Why an eligible interface was not chosen. */
export type NicPassedOver = 'wireless-while-wired-exists' | 'usb-while-fixed-exists' | 'higher-mac';

export type InterfaceVerdict =
  | {
      readonly kind: 'primary';
      readonly name: string;
      readonly mac: string;
      readonly medium: NicMedium;
      readonly usb: boolean;
    }
  | {
      readonly kind: 'passed-over';
      readonly name: string;
      readonly mac: string;
      readonly medium: NicMedium;
      readonly usb: boolean;
      readonly why: NicPassedOver;
    }
  | {
      readonly kind: 'rejected';
      readonly name: string;
      readonly mac: string | null;
      readonly reason: NicRejection;
      /** A human hint, e.g. `veth pair` or `docker bridge`. */
      readonly detail?: string;
    };

/** The components and how each was found, for `edge-license-agent hwid` and the logs. */
export interface MachineFacts {
  readonly components: HardwareComponents;
  readonly sources: { readonly [K in HardwareComponentName]: readonly FactAttempt[] };
  /** Every network interface considered, sorted by name. */
  readonly interfaces: readonly InterfaceVerdict[];
}

export interface SystemFacts {
  read(): Promise<MachineFacts>;
}

/** Reading the stored identity is defensive: bad content is a value to log, never a throw. */
export type IdentityLoad =
  | { readonly kind: 'absent' }
  | { readonly kind: 'loaded'; readonly identity: StoredIdentity }
  | { readonly kind: 'corrupt'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

export interface IdentityStore {
  load(): Promise<IdentityLoad>;
  /** Durable once it resolves. Rejects on I/O failure (disk full, read-only state directory). */
  save(identity: StoredIdentity): Promise<void>;
}
