import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  lockStateDirectory,
  type DirectoryLock,
} from '../../../src/adapters/state-store/directory-lock.js';
import { AgentError } from '../../../src/domain/agent-error.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-lock-');
const held: DirectoryLock[] = [];

afterEach(async () => {
  await Promise.all(held.splice(0).map((lock) => lock.release()));
});

async function lock(directory: string, pid?: number): Promise<DirectoryLock> {
  const taken = await lockStateDirectory(directory, pid);
  held.push(taken);
  return taken;
}

async function refusal(directory: string): Promise<unknown> {
  return lock(directory).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('lockStateDirectory', () => {
  it('refuses a second holder, naming the directory and the holder pid', async () => {
    const dir = await tempDir();
    await lock(dir, 4242);
    const error = await refusal(dir);
    expect(error).toBeInstanceOf(AgentError);
    expect(error).toMatchObject({
      code: 'state_directory_locked',
      message: `stateDirectory (${dir}) is in use by another agent (pid 4242): one agent per state directory`,
    });
  });

  it('is taken again once released', async () => {
    const dir = await tempDir();
    await (await lock(dir)).release();
    await expect(lock(dir)).resolves.toBeDefined();
  });

  it('is one lock for one directory, whatever path reaches it', async () => {
    const dir = await tempDir();
    const linked = join(await tempDir(), 'linked');
    await symlink(dir, linked);
    const other = await tempDir();
    await lock(dir);
    await expect(refusal(linked)).resolves.toMatchObject({ code: 'state_directory_locked' });
    await expect(lock(other)).resolves.toBeDefined();
  });

  it('creates a missing state directory before locking it', async () => {
    const dir = join(await tempDir(), 'state', 'edge-license-agent');
    await lock(dir);
    await expect(refusal(dir)).resolves.toMatchObject({ code: 'state_directory_locked' });
  });
});
