import type { presentLem } from '../present-lem.js';
import { badge, row } from './badges.js';
import { html, type Html } from './html.js';
import { instant } from './time-text.js';

/** `/v1/status`'s `lem` part as sent: present exactly when LEM is configured. */
export type LemStatusPart = ReturnType<typeof presentLem>;

/**
 * Litmus Edge Manager: the pool, this device's own LEM licences, the `lem:` features local
 * applications are answered, and any part whose latest call failed, with LEM's own message.
 */
export function lemSection(lem: LemStatusPart, now: number): Html {
  const stats = lem.pool.stats;
  const parts = Object.entries(lem.parts);
  const newest = parts
    .map(([, p]) => p.lastOkAt)
    .filter((at): at is string => at !== null)
    .sort()
    .at(-1);
  const failing = parts.filter(([, p]) => p.last !== null && p.last.kind !== 'ok');
  const licences = (lem.device.entries ?? []).flatMap((d) => d.licenses);
  return html`<section id="lem" class="wide">
    <h2>LEM licence pool</h2>
    <dl>
      ${row('LEM', `${lem.upstream.kind === 'sandbox' ? 'sandbox ' : ''}${lem.upstream.baseUrl}`)}
      ${
        stats === null
          ? row('Pool', 'not known yet')
          : row(
              'Pool',
              `${String(stats.used)} used, ${String(stats.unused)} unused, ${String(stats.expired)} expired (${String(stats.active)} active)`,
            )
      }
      ${row('Updated', instant(newest ?? null, now, 'never'))}
      ${row(
        'This device',
        licences.length === 0
          ? lem.device.entries === null
            ? 'not known yet'
            : 'holds no licence from the pool'
          : html`${licences.map(
              (l) => html`<span>${l.sku} ${l.status}, expires ${instant(l.expiresAt, now)}</span> `,
            )}`,
      )}
      ${failing.map(([name, p]) =>
        row(`Failing: ${name}`, html`${badge('bad', 'failing')} ${p.last?.message ?? ''}`),
      )}
    </dl>
    <ul class="lem-features">
      ${lem.features.map(
        (f) =>
          html`<li>
            ${badge(f.allowed ? 'ok' : 'denied', f.allowed ? 'allowed' : 'denied')}
            <code>${f.code}</code> ${f.reason}
          </li>`,
      )}
    </ul>
  </section>`;
}
