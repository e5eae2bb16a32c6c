import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `content` so that after a power cut the file holds either the old or the
 * new content, never a torn mix: write a temp file in the same directory, fsync it, rename it
 * over, fsync the directory so the rename itself survives. Edge devices lose power mid-write.
 */
export async function writeFileDurably(path: string, content: string, mode: number): Promise<void> {
  const directory = dirname(path);
  // 0700 only applies when created here; systemd's StateDirectory= owns the mode otherwise.
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temp = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'wx', mode);
    try {
      await file.writeFile(content, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const dir = await open(directory, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
