import type { StatusAnswer } from '../client/types.js';
import { askAgent } from './ask-agent.js';
import type { CONNECTION_OPTIONS, JSON_OPTION, Values } from './command.js';
import { EXIT } from './exit-codes.js';
import { println, type CliIo } from './io.js';
import { lemStatusLines } from './lem-status-lines.js';

export type StatusValues = Values<typeof CONNECTION_OPTIONS & typeof JSON_OPTION>;

/**
 * `status`: what a technician on site wants to see, in one screen. Exit 0 when the agent is ready,
 * 1 when it answers but has no decision yet, 2 when it cannot be asked.
 */
export async function statusCommand(values: StatusValues, io: CliIo): Promise<number> {
  return askAgent(values, io, async (client) => {
    const status = await client.status();
    if (values.json === true) println(io.stdout, JSON.stringify(status, null, 2));
    else printStatus(status, io);
    return status.ready ? EXIT.ok : EXIT.no;
  });
}

function printStatus(s: StatusAnswer, io: CliIo): void {
  const out = (line: string) => {
    println(io.stdout, line);
  };
  out(
    `edge-license-agent ${s.version}   ${s.ready ? 'ready' : 'NOT READY: no answer from the licence server yet'}`,
  );
  out(`hardware ID   ${s.device.hardwareId}`);
  if (s.device.changedComponents.length > 0) {
    out(`              changed since enrolment: ${s.device.changedComponents.join(', ')}`);
  }
  const { machine } = s.device;
  out(
    `machine       ${machine.kind} (${machine.overridden ? 'set in config' : machine.basis.join('; ')})`,
  );
  out(`upstream      ${s.upstream.kind} ${s.upstream.baseUrl}`);
  const last = s.sync.last;
  out(
    `last sync     ${last === null ? 'none yet' : `${last.result} at ${last.finishedAt ?? '?'} (device_licenses: ${last.deviceLicenses})`}`,
  );
  if (s.sync.running) out('              a sync is running now');
  out(`schedule      ${s.sync.schedule ?? 'adaptive'}`);
  const next = s.sync.next;
  if (next !== null) out(`next sync     ${next.at} (${next.reason})`);
  out(`last genuine  ${s.offline.lastGenuineAt ?? 'never'}   (state file: ${s.stateFile})`);
  if (s.offline.graceEndsAt !== null) {
    const left = hours(s.offline.graceRemainingSeconds ?? 0);
    const why = s.offline.failing ? `OFFLINE (${s.offline.lastFailure ?? 'no answer'}), ` : '';
    out(`offline grace ${why}ends ${s.offline.graceEndsAt}, ${left} left`);
  }
  if (s.offline.clockRollbacks > 0) {
    out(
      `clock         moved back ${String(s.offline.clockRollbacks)} time(s): decisions use the latest time seen`,
    );
  }
  out('');
  out('LICENCE              PRODUCT        STATE     REASON                 EXPIRES');
  for (const l of s.licenses) {
    out(
      `${pad(String(l.licenseId), 20)} ${pad(l.product, 14)} ${pad(l.state, 9)} ${pad(l.reason, 22)} ${l.expiresAt ?? 'never'}`,
    );
  }
  if (s.licenses.length === 0) out(`(none: ${s.device.state}, ${s.device.reason})`);
  out('');
  out('FEATURE              ALLOWED  STATE     REASON                 EXPIRES');
  for (const f of s.features) {
    out(
      `${pad(f.code, 20)} ${pad(f.allowed ? 'yes' : 'no', 8)} ${pad(f.state, 9)} ${pad(f.reason, 22)} ${f.expiresAt ?? 'never'}`,
    );
  }
  if (s.lem !== undefined) for (const line of lemStatusLines(s.lem)) out(line);
}

function hours(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : `${Math.floor(seconds / 60)} min`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
