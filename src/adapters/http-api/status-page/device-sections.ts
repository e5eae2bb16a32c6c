import { badge, row, stateBadge } from './badges.js';
import { html, type Html } from './html.js';
import type { PresentedStatus } from './page-input.js';
import { instant, spanText } from './time-text.js';

export function deviceSection(status: PresentedStatus): Html {
  const { device } = status;
  const drift =
    device.changedComponents.length === 0
      ? html`none`
      : html`${badge('warn', 'changed')} ${device.changedComponents.join(', ')} since enrolment`;
  return html`<section id="device">
    <h2>Device</h2>
    <dl>
      ${row('Hardware ID', html`<code>${device.hardwareId}</code>`)}
      ${row('Source', device.source === 'override' ? 'set in config (device.hardwareId)' : 'composed from machine facts')}
      ${row('Drift', drift)} ${row('Device', html`${stateBadge(device.state)} ${device.reason}`)}
      ${row('Ready', status.ready ? badge('ok', 'ready') : badge('warn', 'not ready: no decision yet'))}
    </dl>
  </section>`;
}

export function syncSection(status: PresentedStatus, now: number): Html {
  const { sync } = status;
  const last = sync.last;
  const failedChecks = last?.featureChecks.filter((c) => c.outcome !== 'genuine').length ?? 0;
  return html`<section id="sync">
    <h2>Sync</h2>
    <dl>
      ${row('Last sync', last === null ? 'none yet' : html`${resultBadge(last.result)} ${instant(last.finishedAt, now)}`)}
      ${last === null ? null : row('Licences call', last.deviceLicenses)}
      ${last === null ? null : row('Feature checks', `${String(last.featureChecks.length)}, ${String(failedChecks)} not genuine`)}
      ${row('Next sync', sync.running ? 'running now' : nextSyncText(sync.next, now))}
      ${row('Schedule', sync.schedule === null ? 'adaptive: sooner as an expiry or the grace end nears' : html`<code>${sync.schedule}</code> UTC, then ${spanText(sync.splaySeconds)} splay`)}
    </dl>
  </section>`;
}

function nextSyncText(next: PresentedStatus['sync']['next'], now: number): Html {
  if (next === null) return html`not scheduled`;
  return html`${instant(next.at, now)} (${next.reason.replace('_', ' ')})`;
}

function resultBadge(result: string): Html {
  return badge(result === 'ok' ? 'ok' : result === 'partial' ? 'warn' : 'bad', result);
}

export function graceSection(status: PresentedStatus, now: number): Html {
  const { offline } = status;
  const remaining = offline.graceRemainingSeconds;
  const countdown =
    remaining === null
      ? 'no genuine answer yet'
      : remaining === 0
        ? badge('bad', 'ended')
        : offline.failing
          ? html`${badge('warn', spanText(remaining))} left while offline`
          : html`${spanText(remaining)} if the server stops answering now`;
  return html`<section id="grace">
    <h2>Offline grace</h2>
    <dl>
      ${row('Remaining', countdown)} ${row('Ends', instant(offline.graceEndsAt, now))}
      ${row('Last genuine answer', instant(offline.lastGenuineAt, now, 'never'))}
      ${offline.clockRollbacks === 0 ? null : row('Clock set back', `${String(offline.clockRollbacks)} times`)}
      ${offline.clockBehindSeconds === null ? null : row('Clock behind', spanText(offline.clockBehindSeconds))}
      ${offline.serverSkewSeconds === null ? null : row('Server clock skew', `${offline.serverSkewSeconds.toFixed(1)} s`)}
    </dl>
  </section>`;
}

export function upstreamSection(status: PresentedStatus, now: number): Html {
  const { upstream, offline, stateSave } = status;
  const health = offline.failing
    ? html`${badge('bad', 'failing')} ${offline.lastFailure ?? ''}`
    : status.sync.last === null
      ? html`${badge('unknown', 'not asked yet')}`
      : html`${badge('ok', 'answering')}`;
  const saved =
    stateSave.lastError === null
      ? instant(stateSave.lastOkAt, now, 'not yet this run')
      : html`${badge('bad', 'failing')} ${stateSave.lastError.code}
        ${instant(stateSave.lastError.at, now)}`;
  return html`<section id="upstream">
    <h2>Upstream</h2>
    <dl>
      ${row('Health', health)}
      ${row('Server', html`${upstream.kind === 'sandbox' ? badge('warn', 'sandbox') : null} <code>${upstream.baseUrl}</code>`)}
      ${row('State file', status.stateFile)} ${row('State saved', saved)}
    </dl>
  </section>`;
}
