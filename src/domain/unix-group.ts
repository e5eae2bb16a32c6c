/**
 * The numeric ID of a group named by name or number, looked up in the text of /etc/group; null
 * when no line names it. Node has no getgrnam(), and /etc/group is where the answer lives on the
 * systems we run on. A number is taken as it is: a group ID needs no entry there to be used.
 * Pure, so that the config check and the socket's chown read the file by the same rule.
 */
export function groupIdIn(etcGroup: string, group: string): number | null {
  if (/^\d+$/.test(group)) return Number(group);
  const gid = etcGroup
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === group)?.[2];
  return gid === undefined || !/^\d+$/.test(gid) ? null : Number(gid);
}
