import { execFileSync } from 'node:child_process';
import { readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIdentityStore } from '../../../src/adapters/identity-store/identity-store.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-identity-special-');

describe('createIdentityStore: an identity.json that is not a regular file of its own', () => {
  it('reports a symlink to /dev/zero as unreadable, without reading it', async () => {
    const dir = await tempDir();
    await symlink('/dev/zero', join(dir, 'identity.json'));
    expect(await createIdentityStore(dir).load()).toEqual({ kind: 'unreadable', reason: 'ELOOP' });
  });

  it('reports a FIFO as unreadable instead of waiting for a writer', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [join(dir, 'identity.json')]);
    expect(await createIdentityStore(dir).load()).toEqual({
      kind: 'unreadable',
      reason: 'ENOTREG',
    });
  });

  it('reports a file far larger than any identity as unreadable', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'identity.json'), ' '.repeat(1024 * 1024));
    expect(await createIdentityStore(dir).load()).toEqual({ kind: 'unreadable', reason: 'EFBIG' });
  });

  it('removes temp files a killed writer left behind when it saves', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.identity.json.0123456789ab.tmp'), 'half');
    await writeFile(join(dir, '.state.json.0123456789ab.tmp'), 'not ours');
    await createIdentityStore(dir).save({
      hardwareId: 'site-42',
      components: { mac: null, machineId: null, dmiUuid: null },
    });
    expect((await readdir(dir)).sort()).toEqual(['.state.json.0123456789ab.tmp', 'identity.json']);
  });
});
