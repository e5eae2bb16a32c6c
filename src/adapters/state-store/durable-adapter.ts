import { open } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { writeFileDurably } from '../durable-file/durable-write.js';
import { errorCode } from '../error-code.js';

/**
 * What lowdb holds for us: the file's bytes, boxed. Boxed because `Low.read()` keeps its previous
 * data when the adapter returns anything falsy, so an empty string would read as "no file";
 * bytes rather than text so that invalid UTF-8 is refused by the envelope, not silently replaced.
 */
const MAX_STATE_BYTES = 16 * 1024 * 1024;

export interface StoredBytes {
  readonly bytes: Uint8Array;
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
export class DurableFile implements Adapter<StoredBytes | null> {
  constructor(
    private readonly path: string,
    private readonly mode: number,
  ) {}

  /** Null when there is no file; any other failure to read throws, as lowdb's adapters do. */
  async read(): Promise<StoredBytes | null> {
    let file;
    try {
      file = await open(this.path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null;
      throw error;
    }
    try {
      // A state is kilobytes; a planted file of gigabytes must not run the agent out of memory.
      if ((await file.stat()).size > MAX_STATE_BYTES) {
        throw Object.assign(new Error('state file too large'), { code: 'EFBIG' });
      }
      return { bytes: await file.readFile() };
    } finally {
      await file.close();
    }
  }

  async write(document: StoredBytes | null): Promise<void> {
    // `Low.write()` never passes null (it skips falsy data); there is nothing to write anyway.
    if (document === null) return;
    await writeFileDurably(this.path, document.bytes, this.mode);
  }
}
