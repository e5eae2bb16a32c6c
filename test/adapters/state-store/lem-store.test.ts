import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLemStore, LEM_STATE_FILE } from '../../../src/adapters/state-store/lem-store.js';
import { applyLemPoll, emptyLemSnapshot } from '../../../src/domain/lem-snapshot.js';
import type { LemUsedDevice } from '../../../src/domain/lem.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-lem-store-');
const MAC = '00:1a:2b:3c:4d:5e';

const own: LemUsedDevice = {
  projectId: 'project-x',
  deviceId: 'device-on-line-7',
  deviceName: 'litmus-edge-line-7',
  deviceFriendlyName: null,
  macAddress: MAC,
  expiryFeatureDate: 1786233599000,
  licenses: [
    {
      id: 'rec-1',
      licenseKey: 'LEMKEY-SECRET-0001',
      licenseSku: 'litmusedge-scale-nl',
      status: 'OK',
      activationDate: null,
      expiryDate: 1786233599000,
      expiryFeatureDate: 1786233599000,
      isCore: true,
      isTrial: false,
    },
  ],
};

const snapshot = applyLemPoll(
  emptyLemSnapshot,
  {
    stats: { kind: 'ok', value: { active: 1, used: 1, unused: 0, expired: 0 } },
    skus: { kind: 'ok', value: [{ licenseSku: 'litmusedge-scale-nl', count: 1, isCore: true }] },
    used: { kind: 'ok', value: [own] },
    serverFeatures: { kind: 'refused', status: 401, code: 'lem_token_rejected', message: 'no' },
    licenseFeatures: {
      kind: 'ok',
      value: [
        {
          name: 'catalog',
          description: null,
          expiresAt: null,
          count: -1,
          limited: false,
          enabled: true,
        },
      ],
    },
  },
  1_000,
  { kind: 'mac', mac: MAC },
);

describe('the LEM answers on disk', () => {
  it('come back as saved, with the time they were saved', async () => {
    const dir = await tempDir();
    const store = createLemStore(dir);
    await store.save(snapshot, 'hw-1', 5_000);
    expect(await store.load('hw-1')).toEqual({ kind: 'loaded', snapshot, savedAt: 5_000 });
    expect((await stat(join(dir, LEM_STATE_FILE))).mode & 0o777).toBe(0o600);
  });

  it('hold no licence key, and show neither the pool nor the device in clear text', async () => {
    const dir = await tempDir();
    await createLemStore(dir).save(snapshot, 'hw-1', 5_000);
    const text = await readFile(join(dir, LEM_STATE_FILE), 'utf8');
    for (const needle of ['LEMKEY', 'litmusedge', 'device-on-line-7', 'catalog', MAC]) {
      expect(text).not.toContain(needle);
    }
  });

  it('are absent before the first save', async () => {
    expect(await createLemStore(await tempDir()).load('hw-1')).toEqual({ kind: 'absent' });
  });

  it('are refused when edited', async () => {
    const dir = await tempDir();
    await createLemStore(dir).save(snapshot, 'hw-1', 5_000);
    const path = join(dir, LEM_STATE_FILE);
    const envelope = JSON.parse(await readFile(path, 'utf8')) as { ciphertext: string };
    const bytes = Buffer.from(envelope.ciphertext, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await writeFile(path, JSON.stringify({ ...envelope, ciphertext: bytes.toString('base64') }));
    expect(await createLemStore(dir).load('hw-1')).toMatchObject({
      kind: 'refused',
      reason: 'tampered',
    });
  });

  it('are refused for another hardware ID', async () => {
    const dir = await tempDir();
    await createLemStore(dir).save(snapshot, 'hw-1', 5_000);
    expect(await createLemStore(dir).load('hw-2')).toMatchObject({
      kind: 'refused',
      reason: 'foreign',
    });
  });

  it('are refused when the file is not ours', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LEM_STATE_FILE), '{"format":"something else"}');
    expect(await createLemStore(dir).load('hw-1')).toMatchObject({
      kind: 'refused',
      reason: 'corrupt',
    });
  });
});
