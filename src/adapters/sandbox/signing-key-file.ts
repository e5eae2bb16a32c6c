import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { removeStaleTempFiles, writeFileDurably } from '../durable-file/durable-write.js';

export const SANDBOX_SIGNING_KEY_FILE = 'sandbox-signing-key.pem';
const FILE = SANDBOX_SIGNING_KEY_FILE;
const generate = promisify(generateKeyPair);

/**
 * The built-in sandbox's RSA key, kept in the state directory (0600) and made on first use. It
 * signs only the sandbox's own example answers; a real deployment verifies with the vendor's key.
 */
export async function sandboxSigningKey(directory: string): Promise<KeyObject> {
  const path = join(directory, FILE);
  try {
    return createPrivateKey(await readFile(path, 'utf8'));
  } catch {
    // Absent or unusable: make a new one. Answers signed by the old key then fail to verify and
    // are refused, which is the behaviour a changed vendor key would cause too.
  }
  const { privateKey } = await generate('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // Temp files of a run killed mid-write: the key is made once per start, none is in flight.
  await removeStaleTempFiles(path);
  await writeFileDurably(path, pem, 0o600);
  return privateKey;
}
