import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConfigIssue } from './config-error.js';
import type { SecretRef } from './schema.js';

/** Secrets come from a file, a systemd credential, or (discouraged) the config itself. */
export async function readSecret(
  key: string,
  ref: SecretRef,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  sources: ReadonlyMap<string, string>,
  issues: ConfigIssue[],
): Promise<string | null> {
  if (ref.value !== undefined) return ref.value;
  let file: string;
  if (ref.file !== undefined) {
    file = resolve(baseDir, ref.file);
  } else {
    const credentials = env['CREDENTIALS_DIRECTORY'];
    const name = ref.credential ?? '';
    if (credentials === undefined || credentials === '') {
      issues.push({
        key,
        message: `is not set: give ${key}.file, or run under systemd with credential "${name}"`,
        source: null,
      });
      return null;
    }
    file = resolve(credentials, name);
  }
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (text === '') {
      // Under the shipped unit a credential file that was never put in place arrives blank
      // (SetCredential= default), so that the other auth method's users need no unit edit.
      const message =
        ref.credential === undefined
          ? `${file} is empty`
          : `systemd credential "${ref.credential}" is blank: the file the unit's LoadCredential=${ref.credential}: names is missing or empty`;
      issues.push({ key, message, source: sources.get(key) ?? null });
      return null;
    }
    return text;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    issues.push({
      key,
      message: `cannot read ${file}: ${reason}`,
      source: sources.get(key) ?? null,
    });
    return null;
  }
}
