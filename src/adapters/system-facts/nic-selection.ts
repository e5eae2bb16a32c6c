import type { InterfaceVerdict, NicMedium, NicRejection } from '../../agent/identity-ports.js';

/** What sysfs says about one entry of /sys/class/net, before any judgement. */
export interface InterfaceFacts {
  readonly name: string;
  /** ARPHRD type from `type`; 1 is Ethernet (Wi-Fi included). Null when unreadable. */
  readonly type: number | null;
  /** The entry resolves under /sys/devices/virtual. */
  readonly virtual: boolean;
  /** A `device` link: backed by a bus device (PCI, USB, SoC platform). */
  readonly hasDeviceLink: boolean;
  /** The entry resolves under a USB device. */
  readonly usb: boolean;
  readonly bridge: boolean;
  readonly bond: boolean;
  /** A `wireless` directory or a `phy80211` link. */
  readonly wireless: boolean;
  readonly address: string | null;
  /** `addr_assign_type`: 0 permanent, 1 random, 2 stolen, 3 set by software. */
  readonly addressAssignType: number | null;
  /** `bonding_slave/perm_hwaddr`: a bond slave's own address while it wears the bond's. */
  readonly permanentAddress: string | null;
}

export interface NicChoice {
  readonly mac: string | null;
  readonly verdicts: readonly InterfaceVerdict[];
}

interface Eligible {
  readonly name: string;
  readonly mac: string;
  readonly medium: NicMedium;
  readonly usb: boolean;
}

/**
 * Picks the NIC whose MAC identifies the machine. The choice depends only on the set of eligible
 * NICs, never on names or discovery order, which both vary across boots (predictable names can
 * fall back to ethN, drivers probe in parallel); the set of NICs itself rarely changes. Ranked:
 * wired before wireless, fixed before USB (a dongle plugged in for a site visit must not move
 * the choice), then the lowest MAC.
 */
export function chooseNic(interfaces: readonly InterfaceFacts[]): NicChoice {
  const eligible: Eligible[] = [];
  const verdicts: InterfaceVerdict[] = [];
  for (const facts of interfaces) {
    const judged = judge(facts);
    if ('reason' in judged) verdicts.push({ kind: 'rejected', name: facts.name, ...judged });
    else eligible.push(judged);
  }
  const ranked = [...eligible].sort(compareEligible);
  const primary = ranked[0];
  for (const nic of ranked) {
    if (primary === undefined || nic === primary) {
      verdicts.push({ kind: 'primary', ...nic });
      continue;
    }
    verdicts.push({ kind: 'passed-over', ...nic, why: passedOver(nic, primary) });
  }
  verdicts.sort((a, b) => compareText(a.name, b.name));
  return { mac: primary?.mac ?? null, verdicts };
}

type Rejection = { readonly mac: string | null; readonly reason: NicRejection; detail?: string };

function judge(facts: InterfaceFacts): Eligible | Rejection {
  const mac = normaliseMac(facts.permanentAddress) ?? normaliseMac(facts.address);
  if (facts.type === null) return { mac, reason: 'unreadable', detail: 'type' };
  if (facts.type !== 1) return { mac, reason: 'not-ethernet', detail: `type ${facts.type}` };
  if (facts.bridge) return { mac, reason: 'bridge' };
  if (facts.bond) return { mac, reason: 'bond' };
  if (facts.virtual) return { mac, reason: 'virtual', ...virtualHint(facts.name) };
  if (!facts.hasDeviceLink) return { mac, reason: 'no-device-link' };
  if (mac === null) return { mac, reason: 'no-address' };
  // A bond slave's perm_hwaddr is its burnt-in address whatever it currently wears.
  if (normaliseMac(facts.permanentAddress) === null && facts.addressAssignType !== 0) {
    const detail =
      facts.addressAssignType === null
        ? 'addr_assign_type unreadable'
        : `addr_assign_type ${facts.addressAssignType}`;
    return { mac, reason: 'address-not-permanent', detail };
  }
  const first = parseInt(mac.slice(0, 2), 16);
  if (/^[0:]+$/.test(mac)) return { mac, reason: 'all-zero-address' };
  if ((first & 0x01) !== 0) return { mac, reason: 'multicast-address' };
  if ((first & 0x02) !== 0) return { mac, reason: 'locally-administered-address' };
  return { name: facts.name, mac, medium: facts.wireless ? 'wireless' : 'wired', usb: facts.usb };
}

function compareEligible(a: Eligible, b: Eligible): number {
  return (
    rank(a.medium === 'wireless') - rank(b.medium === 'wireless') ||
    rank(a.usb) - rank(b.usb) ||
    compareText(a.mac, b.mac) ||
    compareText(a.name, b.name)
  );
}

function passedOver(
  nic: Eligible,
  primary: Eligible,
): 'wireless-while-wired-exists' | 'usb-while-fixed-exists' | 'higher-mac' {
  if (nic.medium !== primary.medium) return 'wireless-while-wired-exists';
  if (nic.usb !== primary.usb) return 'usb-while-fixed-exists';
  return 'higher-mac';
}

function rank(worse: boolean): number {
  return worse ? 1 : 0;
}

// Not localeCompare: the order must not depend on the device's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Only for the diagnostics: the decision is `virtual` whatever the name says. */
function virtualHint(name: string): { detail?: string } {
  if (name.startsWith('veth')) return { detail: 'veth pair' };
  if (name.startsWith('docker') || name.startsWith('br-')) return { detail: 'docker network' };
  return {};
}

/** `AA-BB-…` or `aa:bb:…` to `aa:bb:…`; null for anything that is not six octets. */
export function normaliseMac(text: string | null): string | null {
  if (text === null) return null;
  const mac = text.trim().toLowerCase().replaceAll('-', ':');
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) ? mac : null;
}
