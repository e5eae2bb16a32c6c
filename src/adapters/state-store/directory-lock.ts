import { createHash } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { AgentError } from '../../domain/agent-error.js';
import { errorCode } from '../error-code.js';

export interface DirectoryLock {
  /** Lets another agent take the directory; safe to call more than once. */
  release(): Promise<void>;
}

/**
 * Makes this process the only agent on `directory`: two agents on one state directory would
 * overwrite each other's state and answer from different clocks. Node has no flock(2), so the
 * lock is a Linux abstract-namespace Unix socket named after the directory's real path: no file
 * is made, and the kernel frees the name when the process ends however it ends, so no stale lock
 * survives a `kill -9` (a lock file would need a pid-liveness guess, which a reused pid defeats).
 * The holder answers whoever connects with its pid, so a refused agent can name it.
 *
 * Throws AgentError `state_directory_locked` when another agent holds it; a directory that cannot
 * be created or resolved throws its system error for the caller to name.
 */
export async function lockStateDirectory(
  directory: string,
  pid: number = process.pid,
): Promise<DirectoryLock> {
  // 0700 only applies when created here; systemd's StateDirectory= owns the mode otherwise.
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const real = await realpath(directory);
  const name = `\0edge-license-agent:${createHash('sha256').update(real).digest('hex')}`;
  const server = createServer((socket) => {
    socket.end(`${String(pid)}\n`);
  });
  try {
    await listen(server, name);
  } catch (error) {
    if (errorCode(error) !== 'EADDRINUSE') throw error;
    const holder = await holderPid(name);
    const who = holder === null ? 'another agent' : `another agent (pid ${String(holder)})`;
    throw new AgentError(
      'state_directory_locked',
      `stateDirectory (${directory}) is in use by ${who}: one agent per state directory`,
      { cause: error },
    );
  }
  // The lock must not keep a stopping process alive by itself.
  server.unref();
  let released: Promise<void> | null = null;
  return {
    release: () =>
      (released ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      })),
  };
}

function listen(server: Server, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(name, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The pid the holder reports, or null if it does not answer at once (it may be stopping). */
function holderPid(name: string): Promise<number | null> {
  return new Promise((resolve) => {
    let text = '';
    const socket = createConnection(name);
    // A holder that is alive answers in microseconds; one that is stuck must not hang this start.
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const pid = Number(text.trim());
      resolve(/^\d+$/.test(text.trim()) && pid > 0 ? pid : null);
    });
  });
}
