import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEVICE_KEY_BYTES, DEVICE_KEY_FILE } from '../../adapters/state-store/device-secret.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { fail, pass, skip, warn, type CheckResult } from './doctor-check.js';

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

/** The state directory holds the device key: nobody but the agent should list or open it. */
export async function stateDirectoryCheck(config: ResolvedConfig): Promise<CheckResult> {
  const id = 'state-directory';
  const dir = config.stateDirectory;
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      return fail(id, `${dir} is not a directory`, `remove it, or set stateDirectory elsewhere`);
    }
    if ((info.mode & 0o077) !== 0) {
      return warn(
        id,
        `${dir} is mode ${octal(info.mode)}: other users can reach the device key's directory`,
        `chmod 0700 ${dir} (systemd's StateDirectoryMode=0700 does this)`,
      );
    }
    return pass(id, `${dir}, mode ${octal(info.mode)}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    if (code === 'ENOENT') {
      return warn(
        id,
        `${dir} does not exist yet`,
        'the agent creates it (0700) at its first start; under systemd StateDirectory= does',
      );
    }
    return fail(id, `${dir} cannot be read: ${code}`, `run doctor as the agent's user or as root`);
  }
}

/** `device.key` seals the saved state: a regular file of 32 bytes only the agent reads. */
export async function deviceKeyCheck(config: ResolvedConfig): Promise<CheckResult> {
  const id = 'device-key';
  const path = join(config.stateDirectory, DEVICE_KEY_FILE);
  try {
    const info = await lstat(path);
    if (!info.isFile()) {
      return fail(
        id,
        `${path} is not a regular file`,
        'remove it: the agent makes a new key, and the saved state is refused and replaced at the next sync',
      );
    }
    if (info.size !== DEVICE_KEY_BYTES) {
      return fail(
        id,
        `${path} is ${String(info.size)} bytes, not ${String(DEVICE_KEY_BYTES)}`,
        'remove it: the agent makes a new key, and the saved state is refused and replaced at the next sync',
      );
    }
    if ((info.mode & 0o077) !== 0) {
      return fail(
        id,
        `${path} is mode ${octal(info.mode)}: others can read the key that seals the state`,
        `chmod 0600 ${path}`,
      );
    }
    return pass(id, `${path}, mode ${octal(info.mode)}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    if (code === 'ENOENT') {
      return warn(id, `${path} does not exist yet`, 'the agent makes it at its first save');
    }
    return fail(id, `${path} cannot be read: ${code}`, `run doctor as the agent's user or as root`);
  }
}

/** The socket, when configured and the agent runs: the mode and group the config asks for. */
export async function socketCheck(config: ResolvedConfig): Promise<CheckResult> {
  const id = 'socket';
  const socket = config.http.socket;
  if (socket === null) return skip(id, 'no http.socket configured');
  try {
    const info = await lstat(socket.path);
    if (!info.isSocket()) {
      return fail(id, `${socket.path} is not a socket`, `remove it; the agent makes the socket`);
    }
    const mode = info.mode & 0o777;
    if (mode !== socket.mode) {
      return warn(
        id,
        `${socket.path} is mode ${octal(mode)}, the config asks ${octal(socket.mode)}`,
        'restart the agent: it sets the mode when it listens',
      );
    }
    return pass(id, `${socket.path}, mode ${octal(mode)}, group ${String(info.gid)}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    if (code === 'ENOENT') {
      return warn(
        id,
        `${socket.path} does not exist`,
        'is the agent running? systemctl status edge-license-agent',
      );
    }
    return fail(id, `${socket.path} cannot be read: ${code}`, `run doctor as root`);
  }
}
