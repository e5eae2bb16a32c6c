import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EXIT } from '../exit-codes.js';
import { complain, type CliIo } from '../io.js';
import { acknowledged } from './acknowledged.js';
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
