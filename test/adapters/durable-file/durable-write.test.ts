import { statSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  removeStaleTempFiles,
  writeFileDurably,
} from '../../../src/adapters/durable-file/durable-write.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-durable-');

describe('writeFileDurably', () => {
  it('writes bytes as they are, with the mode asked for', async () => {
    const path = join(await tempDir(), 'device.key');
    const bytes = Uint8Array.from([0, 255, 128, 10, 13]);
    await writeFileDurably(path, bytes, 0o600);
    expect(new Uint8Array(await readFile(path))).toEqual(bytes);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('replaces the old content and leaves no temp file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state.json');
    await writeFileDurably(path, 'old', 0o600);
    await writeFileDurably(path, 'new', 0o600);
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});

describe('removeStaleTempFiles', () => {
  it("removes only that file's temp files", async () => {
    const dir = await tempDir();
    const names = [
      '.state.json.0a1b2c3d4e5f.tmp',
      '.state.json.ffffffffffff.tmp',
      '.identity.json.0a1b2c3d4e5f.tmp',
      'state.json',
      '.state.json.keep',
    ];
    await Promise.all(names.map((name) => writeFile(join(dir, name), 'x')));
    await removeStaleTempFiles(join(dir, 'state.json'));
    expect((await readdir(dir)).sort()).toEqual([
      '.identity.json.0a1b2c3d4e5f.tmp',
      '.state.json.keep',
      'state.json',
    ]);
  });

  it('does nothing when the directory does not exist yet', async () => {
    await expect(
      removeStaleTempFiles(join(await tempDir(), 'missing', 'state.json')),
    ).resolves.toBeUndefined();
  });
});
