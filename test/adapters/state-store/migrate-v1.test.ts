import { chmod, copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStateStore } from '../../../src/adapters/state-store/state-store.js';
import type { SavedState } from '../../../src/agent/state-ports.js';
import { HARDWARE_ID, OTHER_HARDWARE_ID, sampleState } from './sample-state.js';
import { tempDirs } from '../../temp-dirs.js';

const newDir = tempDirs('ela-migrate-v1-');
const FIXTURE = new URL('../../fixtures/state-v1/', import.meta.url);

/**
 * What the fixture holds: `sampleState()` as it was when the previous release wrote it, before
 * the state kept the monotonic reading, the corrections and the boot ID (their defaults on load).
 */
function previousReleaseState(): SavedState {
  const state = sampleState();
  return {
    ...state,
    trust: { ...state.trust, highestMonotonic: null, timeCorrections: 0 },
    bootId: null,
  };
}

/** A state directory as the previous release (format 1) left it. */
async function previousReleaseDir(): Promise<string> {
  const dir = await newDir();
  for (const name of ['state.json', 'device.key']) {
    await copyFile(new URL(name, FIXTURE), join(dir, name));
    await chmod(join(dir, name), 0o600);
  }
  return dir;
}

describe('upgrading from the clear-text state of format 1', () => {
  it('serves the saved state the previous release wrote', async () => {
    const dir = await previousReleaseDir();
    const loaded = await createStateStore({ directory: dir }).load(HARDWARE_ID);
    expect(loaded).toEqual({ kind: 'loaded', state: previousReleaseState() });
  });

  it('seals it as format 2 at once, leaving no licence key in clear', async () => {
    const dir = await previousReleaseDir();
    const before = await readFile(join(dir, 'state.json'), 'utf8');
    expect(before).toContain('"version": 1');
    expect(before).toContain('H62K-C35N-BS2J-VZ13');
    await createStateStore({ directory: dir }).load(HARDWARE_ID);
    const after = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(after['version']).toBe(2);
    for (const name of await readdir(dir)) {
      expect(await readFile(join(dir, name), 'latin1')).not.toContain('H62K-C35N-BS2J-VZ13');
    }
    // And a new store reads back the same state from the sealed file.
    const again = await createStateStore({ directory: dir }).load(HARDWARE_ID);
    expect(again).toEqual({ kind: 'loaded', state: previousReleaseState() });
  });

  it('refuses a format 1 file edited after it was written', async () => {
    const dir = await previousReleaseDir();
    const path = join(dir, 'state.json');
    const text = await readFile(path, 'utf8');
    await writeFile(
      path,
      text.replace('"verifiedAt": 1767225600000', '"verifiedAt": 1767225600001'),
    );
    expect(await readFile(path, 'utf8')).not.toBe(text);
    const loaded = await createStateStore({ directory: dir }).load(HARDWARE_ID);
    expect(loaded).toMatchObject({ kind: 'refused', reason: 'tampered' });
    // Refused files are left as they are, for the operator to look at.
    expect(await readFile(path, 'utf8')).toContain('"version": 1');
  });

  it('refuses a format 1 file of another hardware ID as foreign', async () => {
    const dir = await previousReleaseDir();
    const loaded = await createStateStore({ directory: dir }).load(OTHER_HARDWARE_ID);
    expect(loaded).toMatchObject({ kind: 'refused', reason: 'foreign' });
  });

  it('refuses a format 1 file whose device key is gone', async () => {
    const dir = await previousReleaseDir();
    await writeFile(join(dir, 'device.key'), Buffer.alloc(32, 7));
    const loaded = await createStateStore({ directory: dir }).load(HARDWARE_ID);
    expect(loaded).toMatchObject({ kind: 'refused', reason: 'tampered' });
  });
});

describe('a read-only store beside the agent', () => {
  it('serves a format 1 file without sealing it anew', async () => {
    const dir = await newDir();
    for (const name of ['state.json', 'device.key']) {
      await copyFile(new URL(name, FIXTURE), join(dir, name));
    }
    const loaded = await createStateStore({ directory: dir, readOnly: true }).load(HARDWARE_ID);
    expect(loaded).toEqual({ kind: 'loaded', state: previousReleaseState() });
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toContain('"version": 1');
  });
});
