import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxSigningKey } from '../../../src/adapters/sandbox/signing-key-file.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-sandbox-key-');

describe('sandboxSigningKey', () => {
  it('removes temp files a killed writer left behind when it makes the key', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.sandbox-signing-key.pem.0123456789ab.tmp'), 'half');
    await sandboxSigningKey(dir);
    expect(await readdir(dir)).toEqual(['sandbox-signing-key.pem']);
  });

  it('keeps the key it made for the next start', async () => {
    const dir = await tempDir();
    const first = await sandboxSigningKey(dir);
    const second = await sandboxSigningKey(dir);
    expect(second.export({ type: 'pkcs8', format: 'pem' })).toBe(
      first.export({ type: 'pkcs8', format: 'pem' }),
    );
  });
});
