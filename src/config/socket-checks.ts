import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { groupIdIn } from '../domain/unix-group.js';
import type { ConfigIssue } from './config-error.js';

/**
 * What `run` would otherwise find only when it listens, after the identity and the state are
 * loaded: the socket's directory must already exist (the agent does not create it: systemd's
 * RuntimeDirectory= or the package does, with the owner it should have), and its group must be
 * one this machine knows.
 */
export async function socketIssues(
  socket: { readonly path: string; readonly group: string | null },
  sources: ReadonlyMap<string, string>,
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const issue = (key: string, message: string) => {
    issues.push({ key, message, source: sources.get(key) ?? null });
  };
  const directory = dirname(socket.path);
  try {
    if (!(await stat(directory)).isDirectory()) {
      issue('http.socket.path', `${directory} (the socket's directory) is not a directory`);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be used: ${code}`;
    issue('http.socket.path', `${directory} (the socket's directory) ${what}`);
  }
  if (socket.group !== null) {
    try {
      // A number needs no lookup; a name is looked up as the socket's chown will look it up.
      const known =
        /^\d+$/.test(socket.group) ||
        groupIdIn(await readFile('/etc/group', 'utf8'), socket.group) !== null;
      if (!known) {
        issue('http.socket.group', `no group ${socket.group} on this machine (in /etc/group)`);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      issue('http.socket.group', `cannot read /etc/group to find ${socket.group}: ${code}`);
    }
  }
  return issues;
}
