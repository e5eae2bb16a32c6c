import { execFileSync } from 'node:child_process';
import { rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStateStore } from '../../../src/adapters/state-store/state-store.js';
import { HARDWARE_ID, sampleState } from './sample-state.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-state-special-');

// Each of these once made the agent read without end (/dev/zero: stat says 0 bytes), block its
// start forever (a FIFO nobody writes), or load a file it did not write (a symlink).
describe('createStateStore: a state.json that is not a regular file of its own', () => {
  it('refuses a symlink to /dev/zero as unreadable, without reading it', async () => {
    const dir = await tempDir();
    await symlink('/dev/zero', join(dir, 'state.json'));
    expect(await createStateStore({ directory: dir }).load(HARDWARE_ID)).toEqual({
      kind: 'refused',
      reason: 'unreadable',
      detail: 'state.json: ELOOP',
    });
  });

  it('refuses a FIFO as unreadable instead of waiting for a writer', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [join(dir, 'state.json')]);
    expect(await createStateStore({ directory: dir }).load(HARDWARE_ID)).toEqual({
      kind: 'refused',
      reason: 'unreadable',
      detail: 'state.json: ENOTREG',
    });
  });

  it('refuses a symlink even to a state it saved itself', async () => {
    const dir = await tempDir();
    await createStateStore({ directory: join(dir, 'real') }).save(sampleState());
    const other = await tempDir();
    await symlink(join(dir, 'real', 'state.json'), join(other, 'state.json'));
    await symlink(join(dir, 'real', 'device.key'), join(other, 'device.key'));
    expect(await createStateStore({ directory: other }).load(HARDWARE_ID)).toMatchObject({
      kind: 'refused',
      reason: 'unreadable',
    });
  });

  it('refuses a directory named state.json as unreadable', async () => {
    const dir = await tempDir();
    execFileSync('mkdir', [join(dir, 'state.json')]);
    expect(await createStateStore({ directory: dir }).load(HARDWARE_ID)).toEqual({
      kind: 'refused',
      reason: 'unreadable',
      detail: 'state.json: ENOTREG',
    });
  });

  it('still loads a state saved through a symlinked state directory', async () => {
    const dir = await tempDir();
    await createStateStore({ directory: join(dir, 'real') }).save(sampleState());
    await symlink(join(dir, 'real'), join(dir, 'linked'));
    await writeFile(join(dir, 'unrelated'), '');
    expect(
      await createStateStore({ directory: join(dir, 'linked') }).load(HARDWARE_ID),
    ).toMatchObject({ kind: 'loaded' });
  });
});

describe('createStateStore: a device.key that is not a regular file of its own', () => {
  it('refuses the state as unreadable when device.key is a FIFO, instead of waiting for a writer', async () => {
    const dir = await tempDir();
    await createStateStore({ directory: dir }).save(sampleState());
    await rm(join(dir, 'device.key'));
    execFileSync('mkfifo', [join(dir, 'device.key')]);
    expect(await createStateStore({ directory: dir }).load(HARDWARE_ID)).toEqual({
      kind: 'refused',
      reason: 'unreadable',
      detail: 'device.key: ENOTREG',
    });
  });
});
