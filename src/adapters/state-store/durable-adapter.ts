import type { Adapter } from 'lowdb';
import { writeFileDurably } from '../durable-file/durable-write.js';
import { readRegularFile } from '../durable-file/read-regular-file.js';

const MAX_STATE_BYTES = 16 * 1024 * 1024;

/**
 * What lowdb holds for us: the file's bytes, or null when there is no file, always in a box.
 * `Low.read()` keeps its previous data when the adapter returns anything falsy, so a bare null for
 * "no file" would let a load after the file disappeared see what the last save left in memory;
 * the box is truthy, so "no file" replaces it like any content. Bytes rather than text so that
 * invalid UTF-8 is refused by the envelope, not silently replaced.
 */
export interface StoredBytes {
  readonly bytes: Uint8Array | null;
}

/**
 * lowdb's file adapter, made durable. lowdb's own `TextFile` writes through steno's `Writer`
 * (steno 4.0.2, node_modules/steno/lib/index.js), which does `writeFile(tmp)` then `rename(tmp,
 * file)`: atomic against a process crash, but it never fsyncs the temp file, so after a power
 * cut the rename can reach the disk before the data and leave an empty or torn file; it never
 * fsyncs the directory, so the rename itself can be lost; it creates the file with the default
 * mode (0666 minus umask) and offers no way to ask for 0600; and its one fixed temp name
 * (`.file.tmp`) is shared by every writer of the file. This adapter writes through
 * `writeFileDurably` instead, which does all four.
 */
export class DurableFile implements Adapter<StoredBytes> {
  constructor(
    private readonly path: string,
    private readonly mode: number,
  ) {}

  /**
   * `{bytes: null}` when there is no file; a symlink, a FIFO, a device or an oversized file is
   * refused by throwing its code (`ELOOP`, `ENOTREG`, `EFBIG`), as any other failure to read.
   */
  async read(): Promise<StoredBytes> {
    // A state is kilobytes; a planted file of gigabytes, or /dev/zero, must not run the agent
    // out of memory, and a FIFO must not hang its start.
    const found = await readRegularFile(this.path, MAX_STATE_BYTES);
    switch (found.kind) {
      case 'absent':
        return { bytes: null };
      case 'read':
        return { bytes: found.bytes };
      case 'refused':
        throw Object.assign(new Error(`state file refused: ${found.code}`), { code: found.code });
      default: {
        const never: never = found;
        return never;
      }
    }
  }

  async write(document: StoredBytes): Promise<void> {
    // Saying "no file" by writing would mean deleting it, which the store never asks for.
    if (document.bytes === null) throw new TypeError('no bytes to write');
    await writeFileDurably(this.path, document.bytes, this.mode);
  }
}
