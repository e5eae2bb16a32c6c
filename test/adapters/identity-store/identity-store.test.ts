import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIdentityStore } from '../../../src/adapters/identity-store/identity-store.js';
import type { StoredIdentity } from '../../../src/domain/hardware-id.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-identity-');

const identity: StoredIdentity = {
  hardwareId: 'e278-db06-734a-4019-6a25-e5d5-9859-7135',
  components: {
    dmiUuid: '4c4c4544-0051-3010-8052-b4c04f4e4d32',
    machineId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    mac: null,
  },
  enrolledAt: 1_700_000_000_000,
};

describe('createIdentityStore', () => {
  it('loads what it saved', async () => {
    const store = createIdentityStore(await tempDir());
    await store.save(identity);
    expect(await store.load()).toEqual({ kind: 'loaded', identity });
  });

  it('round-trips an identity without enrolment time', async () => {
    const store = createIdentityStore(await tempDir());
    const withoutTime = { hardwareId: identity.hardwareId, components: identity.components };
    await store.save(withoutTime);
    expect(await store.load()).toEqual({ kind: 'loaded', identity: withoutTime });
  });

  it('reports absent when nothing was saved yet', async () => {
    expect(await createIdentityStore(await tempDir()).load()).toEqual({ kind: 'absent' });
  });

  it('writes identity.json with a version, readable by its owner only, and no temp file left', async () => {
    const dir = await tempDir();
    await createIdentityStore(dir).save(identity);
    expect((await stat(join(dir, 'identity.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(dir, 'identity.json'), 'utf8'))).toMatchObject({
      version: 1,
      hardwareId: identity.hardwareId,
    });
    expect(await readdir(dir)).toEqual(['identity.json']);
  });

  it('creates a missing state directory, mode 0700', async () => {
    const dir = join(await tempDir(), 'state', 'edge-license-agent');
    await createIdentityStore(dir).save(identity);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('replaces an earlier identity', async () => {
    const store = createIdentityStore(await tempDir());
    await store.save(identity);
    await store.save({ ...identity, hardwareId: 'site-42' });
    expect(await store.load()).toMatchObject({
      kind: 'loaded',
      identity: { hardwareId: 'site-42' },
    });
  });

  it.each([
    ['not JSON', '{"version":1,', 'not JSON'],
    ['a JSON array', '[]', 'not a JSON object'],
    ['a file from a newer agent', '{"version":2}', 'unsupported version: 2'],
    ['a file without a version', '{"hardwareId":"x"}', 'unsupported version: missing'],
    [
      'a component of the wrong type',
      '{"version":1,"hardwareId":"x","components":{"mac":7,"machineId":null,"dmiUuid":null}}',
      'components.mac is not a string or null',
    ],
    [
      'an empty hardware ID',
      '{"version":1,"hardwareId":" ","components":{}}',
      'hardwareId is not a non-empty string',
    ],
  ])('reports %s as corrupt, with the reason', async (_, content, reason) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'identity.json'), content);
    expect(await createIdentityStore(dir).load()).toEqual({ kind: 'corrupt', reason });
  });

  it('reports an identity.json it cannot read as unreadable', async () => {
    const dir = await tempDir();
    // A directory in the file's place fails the read for root too: not a regular file.
    await mkdir(join(dir, 'identity.json'));
    expect(await createIdentityStore(dir).load()).toEqual({
      kind: 'unreadable',
      reason: 'ENOTREG',
    });
  });
});
