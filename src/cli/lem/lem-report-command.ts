import { writeFileDurably } from '../../adapters/durable-file/durable-write.js';
import { readCsv } from '../../adapters/lem/csv.js';
import { LEM_REPORT_COLUMNS } from '../../domain/lem.js';
import type { LemReportValues } from '../commands/lem.js';
import { EXIT } from '../exit-codes.js';
import { complain, println, type CliIo } from '../io.js';
import { acknowledged } from './acknowledged.js';
import { lemFailure } from './lem-failure.js';
import { withLem, type LemSessionOptions } from './lem-session.js';

/** The report holds every licence key of the pool: readable by its owner only. */
const REPORT_FILE_MODE = 0o600;

/**
 * `lem report`: the usage report of the devices named (none: every device, `deviceIds: []`) as
 * CSV on stdout or in --out FILE, or e-mailed by LEM to each --email address.
 */
export async function lemReportCommand(
  values: LemReportValues,
  io: CliIo,
  session: Omit<LemSessionOptions, 'config'> = {},
): Promise<number> {
  const devices = values.device ?? [];
  const emails = values.email ?? [];
  const wrong = argumentProblem(devices, emails, values.out);
  if (wrong !== null) {
    complain(io, `lem report: ${wrong}`);
    return EXIT.usage;
  }
  const which = devices.length === 0 ? 'every device' : `device ${devices.join(', ')}`;
  return withLem({ ...session, config: values.config }, io, async (lem, signal) => {
    if (emails.length > 0) {
      const outcome = await lem.api.emailReport(devices, emails, signal);
      if (outcome.kind !== 'ok') return failed(outcome, io);
      const done = `LEM e-mails the report of ${which} in project ${lem.projectId} to ${emails.join(', ')}`;
      return acknowledged(outcome.value, done, io);
    }
    const outcome = await lem.api.reportCsv(devices, signal);
    if (outcome.kind !== 'ok') return failed(outcome, io);
    const csv = outcome.value;
    const read = readCsv(csv);
    if (!read.ok) {
      complain(io, `lem report: LEM's report is not CSV (line ${read.line}: ${read.reason})`);
      return EXIT.protocol;
    }
    const header = read.rows[0] ?? [];
    if (header.join(',') !== LEM_REPORT_COLUMNS.join(',')) {
      // Written anyway: a LEM release with one more column should not cost the operator the report.
      complain(io, `warning: the report's columns are not the documented 13: ${header.join(', ')}`);
    }
    if (values.out === undefined) {
      io.stdout.write(csv);
      return EXIT.ok;
    }
    try {
      await writeFileDurably(values.out, csv, REPORT_FILE_MODE);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unwritable';
      complain(io, `lem report: cannot write ${values.out}: ${code}`);
      return EXIT.cannotCreate;
    }
    const rows = Math.max(read.rows.length - 1, 0);
    println(io.stdout, `${values.out}: the report of ${which}, ${rows} licence line(s)`);
    return EXIT.ok;
  });
}

function argumentProblem(
  devices: readonly string[],
  emails: readonly string[],
  out: string | undefined,
): string | null {
  if (emails.length > 0 && out !== undefined) {
    return '--email and --out exclude each other: LEM e-mails the report, nothing is written here';
  }
  if (devices.some((id) => id.trim() === '')) return '--device needs a LEM device ID';
  const notAddress = emails.find((e) => !/^[^@\s]+@[^@\s]+$/.test(e));
  if (notAddress !== undefined) return `--email ${notAddress}: not an e-mail address`;
  return null;
}

function failed(outcome: Parameters<typeof lemFailure>[0], io: CliIo): number {
  const failure = lemFailure(outcome);
  complain(io, `lem report: ${failure.message}`);
  return failure.exit;
}
