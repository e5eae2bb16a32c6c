import type { CliValues } from './cli.js';
import { agentUrl, EXIT, println, type CliIo } from './io.js';
import { getFromAgent } from './local-api-request.js';

interface StatusView {
  version: string;
  ready: boolean;
  stateFile: string;
  offline: {
    failing: boolean;
    lastFailure: string | null;
    lastGenuineAt: string | null;
    graceEndsAt: string | null;
    graceRemainingSeconds: number | null;
    clockRollbacks: number;
  };
  device: { hardwareId: string; state: string; reason: string; changedComponents: string[] };
  upstream: { kind: string; baseUrl: string };
  sync: {
    schedule: string;
    /** Absent from agents older than the field. */
    running?: boolean;
    last: { result: string; finishedAt: string; deviceLicenses: string } | null;
  };
  licenses: {
    licenseId: number;
    product: string;
    type: string;
    state: string;
    reason: string;
    expiresAt: string | null;
    lastVerifiedAt: string | null;
  }[];
  features: {
    code: string;
    allowed: boolean;
    state: string;
    reason: string;
    expiresAt: string | null;
  }[];
}

/** `status`: what a technician on site wants to see, in one screen. */
export async function statusCommand(values: CliValues, io: CliIo): Promise<number> {
  const base = agentUrl(values.url, io.env);
  const answer = await getFromAgent(base, '/v1/status');
  if (answer.kind === 'down') {
    println(io.stderr, `edge-license-agent: ${answer.reason}`);
    return EXIT.error;
  }
  if (answer.status !== 200) {
    println(io.stderr, `edge-license-agent: the agent answered HTTP ${String(answer.status)}`);
    return EXIT.error;
  }
  if (values.json === true) {
    println(io.stdout, JSON.stringify(answer.body, null, 2));
    return EXIT.ok;
  }
  const s = answer.body as StatusView;
  const out = (line: string) => {
    println(io.stdout, line);
  };
  out(`edge-license-agent ${s.version}   ${s.ready ? 'ready' : 'NOT READY'}`);
  out(`hardware ID   ${s.device.hardwareId}`);
  if (s.device.changedComponents.length > 0) {
    out(`              changed since enrolment: ${s.device.changedComponents.join(', ')}`);
  }
  out(`upstream      ${s.upstream.kind} ${s.upstream.baseUrl}`);
  const last = s.sync.last;
  out(
    `last sync     ${last === null ? 'none yet' : `${last.result} at ${last.finishedAt} (device_licenses: ${last.deviceLicenses})`}`,
  );
  if (s.sync.running === true) out('              a sync is running now');
  out(`schedule      ${s.sync.schedule}`);
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
  return EXIT.ok;
}

function hours(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : `${Math.floor(seconds / 60)} min`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
