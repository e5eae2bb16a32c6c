import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { errorCode } from '../error-code.js';

export type RegularFileRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'read'; readonly bytes: Buffer }
  /** `code` is an errno (`EACCES`, `ELOOP` for a symlink) or `ENOTREG` / `EFBIG`. */
  | { readonly kind: 'refused'; readonly code: string };

/**
 * Reads a file the agent wrote itself, and only such a file: a regular file, not a symlink, of at
 * most `maxBytes`. A `state.json` replaced by a symlink to `/dev/zero` would otherwise grow memory
 * without end (its stat size is 0, so a size check alone passes), and a FIFO would block the
 * start forever. `O_NOFOLLOW` refuses a symlink in the last component (`ELOOP`); `O_NONBLOCK`
 * makes opening a FIFO return at once so that `fstat` can refuse it; the cap is on the bytes
 * actually read, not on what `stat` claims.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<RegularFileRead> {
  let file;
  try {
    file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error) ?? 'EIO';
    return code === 'ENOENT' ? { kind: 'absent' } : { kind: 'refused', code };
  }
  try {
    if (!(await file.stat()).isFile()) return { kind: 'refused', code: 'ENOTREG' };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte more than allowed, so that a file of exactly `maxBytes` is not refused.
      const buffer = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) return { kind: 'refused', code: 'EFBIG' };
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return { kind: 'read', bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { kind: 'refused', code: errorCode(error) ?? 'EIO' };
  } finally {
    await file.close();
  }
}
