import { readFile } from 'node:fs/promises';
import { errorCode } from '../error-code.js';

/** Reads a whole file as UTF-8. Injected so tests can stand in for errors root never sees. */
export type ReadText = (path: string) => Promise<string>;

export const readTextFile: ReadText = (path) => readFile(path, 'utf8');

export type TextRead =
  | { readonly kind: 'read'; readonly text: string }
  | {
      readonly kind: 'missing';
      readonly result: 'not-found' | 'permission-denied' | 'error';
      readonly detail: string;
    };

/**
 * A file that is absent or forbidden is an ordinary outcome here: a hardened service cannot read
 * root-only DMI files, and a machine without DMI has none.
 */
export async function tryReadText(read: ReadText, path: string): Promise<TextRead> {
  try {
    return { kind: 'read', text: await read(path) };
  } catch (error) {
    const code = errorCode(error) ?? String(error);
    switch (code) {
      case 'ENOENT':
      case 'ENOTDIR':
        return { kind: 'missing', result: 'not-found', detail: code };
      case 'EACCES':
      case 'EPERM':
        return { kind: 'missing', result: 'permission-denied', detail: code };
      default:
        return { kind: 'missing', result: 'error', detail: code };
    }
  }
}
