import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { InterfaceFacts } from './nic-selection.js';
import { tryReadText, type ReadText } from './read-text.js';

/**
 * Every entry of <sysfs>/class/net, read from sysfs rather than os.networkInterfaces(): that one
 * (and systeminformation, which builds on it) leaves out interfaces without an address, so a
 * device with its cable pulled would change its ID.
 */
export async function readInterfaces(sysfsRoot: string, read: ReadText): Promise<InterfaceFacts[]> {
  const classNet = join(sysfsRoot, 'class', 'net');
  let names: string[];
  try {
    names = await readdir(classNet);
  } catch {
    // No sysfs (a container without /sys): no NIC to identify by, reported as no interfaces.
    return [];
  }
  const virtualRoot = join(await resolved(join(sysfsRoot, 'devices')), 'virtual') + sep;
  return Promise.all(
    names.map((name) => readInterface(join(classNet, name), name, virtualRoot, read)),
  );
}

async function readInterface(
  entry: string,
  name: string,
  virtualRoot: string,
  read: ReadText,
): Promise<InterfaceFacts> {
  const where = await resolved(entry);
  const [type, address, assignType, permanent, device, bridge, bond, wireless, phy] =
    await Promise.all([
      readValue(read, join(entry, 'type')),
      readValue(read, join(entry, 'address')),
      readValue(read, join(entry, 'addr_assign_type')),
      readValue(read, join(entry, 'bonding_slave', 'perm_hwaddr')),
      exists(join(entry, 'device')),
      exists(join(entry, 'bridge')),
      exists(join(entry, 'bonding')),
      exists(join(entry, 'wireless')),
      exists(join(entry, 'phy80211')),
    ]);
  return {
    name,
    type: parseInteger(type),
    virtual: (where + sep).startsWith(virtualRoot),
    hasDeviceLink: device,
    usb: /[/\\]usb\d+[/\\]/.test(where),
    bridge,
    bond,
    wireless: wireless || phy,
    address,
    addressAssignType: parseInteger(assignType),
    permanentAddress: permanent,
  };
}

async function readValue(read: ReadText, path: string): Promise<string | null> {
  const result = await tryReadText(read, path);
  if (result.kind !== 'read') return null;
  const text = result.text.trim();
  return text === '' ? null : text;
}

function parseInteger(text: string | null): number | null {
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}

// lstat, not stat: a `device` or `phy80211` link counts even if its target is not visible.
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function resolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}
