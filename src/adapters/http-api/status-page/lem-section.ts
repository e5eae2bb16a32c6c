import type { LemPoolStats } from '../../../domain/lem.js';
import { badge, row } from './badges.js';
import { html, type Html } from './html.js';
import { instant } from './time-text.js';

/**
 * The slot for Litmus Edge Manager: what the page expects under `status.lem` once the status view
 * carries it (only when LEM is enabled). Whoever adds LEM to the view shapes this to match.
 */
export interface LemStatusPart {
  /** The project pool's counts; null until LEM has answered. */
  readonly pool: LemPoolStats | null;
  /** When LEM last answered (ISO 8601), and why its latest call failed, if it did. */
  readonly updatedAt: string | null;
  readonly lastFailure: string | null;
}

export function lemSection(lem: LemStatusPart, now: number): Html {
  const { pool } = lem;
  return html`<section id="lem" class="wide">
    <h2>LEM licence pool</h2>
    <dl>
      ${pool === null ? row('Pool', 'not known yet') : row('Pool', `${String(pool.used)} used, ${String(pool.unused)} unused, ${String(pool.expired)} expired (${String(pool.active)} active)`)}
      ${row('Updated', instant(lem.updatedAt, now, 'never'))}
      ${lem.lastFailure === null ? null : row('Last failure', html`${badge('bad', 'failing')} ${lem.lastFailure}`)}
    </dl>
  </section>`;
}
