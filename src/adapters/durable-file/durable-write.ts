import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `content` so that after a power cut the file holds either the old or the
 * new content, never a torn mix: write a temp file in the same directory, fsync it, rename it
 * over, fsync the directory so the rename itself survives. Edge devices lose power mid-write.
 */
export async function writeFileDurably(
  path: string,
  content: string | Uint8Array,
  mode: number,
): Promise<void> {
  const directory = dirname(path);
  // 0700 only applies when created here; systemd's StateDirectory= owns the mode otherwise.
  await mkdir(directory, { recursive: true, mode: 0o700 });
  // A random suffix, so that two writers never rename each other's half-written file.
  const temp = join(directory, `${tempPrefix(path)}${randomBytes(6).toString('hex')}.tmp`);
  try {
    // `wx`: the mode is set at creation, so the content is never readable by others, even briefly.
    const file = await open(temp, 'wx', mode);
    try {
      await file.writeFile(content);
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

/**
 * Deletes temp files that `writeFileDurably(path, …)` left behind when the process was killed
 * between creating and renaming one. Call it only while no write to `path` is in flight.
 */
export async function removeStaleTempFiles(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return; // no directory yet: nothing was left behind
  }
  const stale = names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'));
  await Promise.all(stale.map((name) => unlink(join(dirname(path), name)).catch(() => undefined)));
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}
