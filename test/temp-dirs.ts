import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * Fresh directories under the system temp dir, removed after each test (or after the file's
 * last, for tests that share one). Call at the top of a test file; the result makes one.
 */
export function tempDirs(prefix: string, removeAfter: 'each' | 'all' = 'each') {
  const made: string[] = [];
  (removeAfter === 'each' ? afterEach : afterAll)(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
