import { describe, expect, it } from 'vitest';
import { createBootFacts } from '../../../src/adapters/system-facts/boot-id.js';

const ID = '81d9a188-2f24-4afc-ba88-17deeaf1326f';
const failing = (code: string) => () => Promise.reject(Object.assign(new Error(code), { code }));

describe('the boot ID', () => {
  it('is read from the kernel file, without its newline', async () => {
    const read = (path: string) =>
      Promise.resolve(path === '/proc/sys/kernel/random/boot_id' ? `${ID}\n` : '');
    expect(await createBootFacts(read).bootId()).toBe(ID);
  });

  it.each(['ENOENT', 'EACCES', 'EIO'])(
    'is unknown when the file cannot be read (%s)',
    async (code) => {
      expect(await createBootFacts(failing(code)).bootId()).toBeNull();
    },
  );

  it('is unknown when the file holds something else than a boot ID', async () => {
    expect(await createBootFacts(() => Promise.resolve('not an id\n')).bootId()).toBeNull();
  });
});
