import { readFile } from 'node:fs/promises';
import { groupIdIn } from '../../domain/unix-group.js';

/** The numeric ID of a group of this machine, by name or number; null when it has no such group. */
export async function groupId(group: string): Promise<number | null> {
  // A number needs no file, and a machine without /etc/group can still be given one.
  if (/^\d+$/.test(group)) return Number(group);
  return groupIdIn(await readFile('/etc/group', 'utf8'), group);
}
