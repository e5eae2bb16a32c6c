import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LemAcknowledgement } from '../../domain/lem.js';
import { EXIT } from '../exit-codes.js';
import { complain, println, type CliIo } from '../io.js';
import { lemFailure } from './lem-failure.js';
import { withLem, type LemSessionOptions } from './lem-session.js';

/**
 * `lem upload-csv FILE`: the client checks the file before anything is sent, so a bad line is
 * named here (65) and LEM never sees it; a good one is uploaded and LEM's acknowledgement printed.
 */
export async function lemUploadCommand(
  file: string,
  values: { readonly config?: string },
  io: CliIo,
  session: Omit<LemSessionOptions, 'config'> = {},
): Promise<number> {
  let csv: string;
  try {
    csv = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    complain(io, `lem upload-csv: cannot read ${file}: ${code}`);
    return EXIT.noInput;
  }
  return withLem({ ...session, config: values.config }, io, async (lem, signal) => {
    const outcome = await lem.api.uploadCsv(basename(file), csv, signal);
    if (outcome.kind !== 'ok') {
      const failure = lemFailure(outcome);
      complain(io, `lem upload-csv: ${failure.message}`);
      return failure.exit;
    }
    return acknowledged(outcome.value, `${file}: uploaded to LEM project ${lem.projectId}`, io);
  });
}

/**
 * LEM's `{code, message}` after an upload or an e-mailed report: `S` is success, and any other
 * code is printed as LEM gave it, since the document names no other.
 */
export function acknowledged(ack: LemAcknowledgement, done: string, io: CliIo): number {
  const said = ack.message === null ? '' : `: ${ack.message}`;
  if (ack.code === 'S') {
    println(io.stdout, `${done} (LEM acknowledged: ${ack.code}${said})`);
    return EXIT.ok;
  }
  complain(io, `LEM did not acknowledge it: code ${ack.code}${said}`);
  return EXIT.protocol;
}
