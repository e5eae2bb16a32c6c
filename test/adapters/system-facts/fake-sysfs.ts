import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface FakeNic {
  readonly name: string;
  /** Under <root>/devices: a bus path (`pci0000:00/0000:00:1f.6`) or `virtual`. */
  readonly parent: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly dirs?: readonly string[];
  /** A `device` link to the parent; physical NICs have one. Default: not under virtual. */
  readonly deviceLink?: boolean;
}

export async function makeRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ela-sysfs-'));
}

/** Lays a NIC out as the kernel does: the device directory, and a class/net symlink to it. */
export async function addNic(root: string, nic: FakeNic): Promise<void> {
  const device = join(root, 'devices', nic.parent, 'net', nic.name);
  await mkdir(device, { recursive: true });
  for (const [file, content] of Object.entries(nic.files ?? {})) {
    await mkdir(dirname(join(device, file)), { recursive: true });
    await writeFile(join(device, file), `${content}\n`);
  }
  for (const dir of nic.dirs ?? []) await mkdir(join(device, dir), { recursive: true });
  if (nic.deviceLink ?? nic.parent !== 'virtual') {
    await symlink(relative(device, join(root, 'devices', nic.parent)), join(device, 'device'));
  }
  const classNet = join(root, 'class', 'net');
  await mkdir(classNet, { recursive: true });
  await symlink(relative(classNet, device), join(classNet, nic.name));
}

export async function addFile(root: string, path: string, content: string): Promise<string> {
  const full = join(root, path);
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, content);
  return full;
}

export function ether(mac: string, addrAssignType = 0): Record<string, string> {
  return { type: '1', address: mac, addr_assign_type: String(addrAssignType) };
}

const PCI = 'pci0000:00';

/** A gateway's worth of interfaces, as on a real edge device running containers. */
export const GATEWAY: readonly FakeNic[] = [
  {
    name: 'lo',
    parent: 'virtual',
    files: { type: '772', address: '00:00:00:00:00:00', addr_assign_type: '0' },
  },
  // The primary: link down, no IP address, so os.networkInterfaces() would not list it.
  {
    name: 'eth0',
    parent: `${PCI}/0000:00:1f.6`,
    files: { ...ether('00:1b:21:3a:4f:5c'), operstate: 'down', carrier: '0' },
  },
  { name: 'enp3s0', parent: `${PCI}/0000:03:00.0`, files: ether('00:1b:21:90:00:09') },
  { name: 'docker0', parent: 'virtual', files: ether('02:42:ac:11:00:01', 3), dirs: ['bridge'] },
  { name: 'br-5f1e', parent: 'virtual', files: ether('02:42:ac:12:00:01', 3), dirs: ['bridge'] },
  { name: 'veth3a9c', parent: 'virtual', files: ether('5a:1c:33:44:55:66', 1) },
  { name: 'bond0', parent: 'virtual', files: ether('00:1b:21:7f:00:02', 3), dirs: ['bonding'] },
  // A bond slave wears the bond's address; perm_hwaddr keeps its own.
  {
    name: 'eth2',
    parent: `${PCI}/0000:04:00.0`,
    files: { ...ether('00:1b:21:7f:00:02', 2), 'bonding_slave/perm_hwaddr': '00:1b:21:7f:00:01' },
  },
  // NetworkManager's per-connection random MAC on Wi-Fi.
  {
    name: 'wlan0',
    parent: `${PCI}/0000:02:00.0`,
    files: ether('7e:11:22:33:44:55', 3),
    dirs: ['wireless'],
  },
  {
    name: 'wlan1',
    parent: `${PCI}/0000:05:00.0`,
    files: ether('00:0a:f5:00:00:01'),
    dirs: ['phy80211'],
  },
  {
    name: 'enx000ec6000001',
    parent: `${PCI}/0000:00:14.0/usb1/1-1/1-1:1.0`,
    files: ether('00:0e:c6:00:00:01'),
  },
  { name: 'tun0', parent: 'virtual', files: { type: '65534', addr_assign_type: '0' } },
  {
    name: 'dummy0',
    parent: `${PCI}/0000:06:00.0`,
    files: ether('02:00:00:00:00:07'),
    deviceLink: true,
  },
];
