import type { AgentStatus } from '../../agent/agent-view.js';

/** What the line is made of: part of /v1/status. */
export type StatusFacts = Pick<AgentStatus, 'ready' | 'decisions'> & {
  readonly sync: Pick<AgentStatus['sync'], 'last'>;
};

/**
 * The one line `systemctl status` shows under the unit, for a person on site: how many licences,
 * how many features run on grace or are denied, and when the last sync was (UTC, as journald's
 * own timestamps may be in any zone). For example: "3 licences, 2 features on grace, last sync
 * 12:03 UTC".
 */
export function statusText(status: StatusFacts): string {
  const { decisions } = status;
  const parts = [count(decisions.licenses.length, 'licence', 'licences')];
  const grace = decisions.features.filter((f) => f.state === 'grace').length;
  const denied = decisions.features.filter((f) => !f.allowed).length;
  const active = decisions.features.length - grace - denied;
  parts.push(count(active, 'feature active', 'features active'));
  if (grace > 0) parts.push(`${count(grace, 'feature', 'features')} on grace`);
  if (denied > 0) parts.push(`${count(denied, 'feature', 'features')} denied`);
  parts.push(lastSync(status.sync.last));
  if (!status.ready) parts.push('no answer from the licence server yet');
  return parts.join(', ');
}

function lastSync(last: AgentStatus['sync']['last']): string {
  if (last === null) return 'no sync yet';
  const at = `last sync ${new Date(last.finishedAt).toISOString().slice(11, 16)} UTC`;
  switch (last.result) {
    case 'ok':
      return at;
    case 'partial':
      return `${at} (some feature checks failed)`;
    case 'failed': {
      const outcome = last.deviceLicenses;
      return `${at} failed (${outcome.kind === 'unreachable' ? outcome.cause : outcome.kind})`;
    }
    default: {
      const never: never = last.result;
      return never;
    }
  }
}

function count(n: number, one: string, many: string): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}
