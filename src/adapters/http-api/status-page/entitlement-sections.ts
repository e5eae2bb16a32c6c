import { badge, row, stateBadge } from './badges.js';
import { html, type Html } from './html.js';
import type { PresentedStatus } from './page-input.js';
import { instant } from './time-text.js';

type License = PresentedStatus['licenses'][number];
type Feature = PresentedStatus['features'][number];

export function licensesSection(licenses: readonly License[], now: number): Html {
  const items = licenses.map(
    (l) =>
      html`<li id="license-${l.licenseId}">
        <div>
          <span class="name">${l.product}</span>
          <span class="note">licence ${l.licenseId}, ${l.type}</span>
          ${l.trial ? badge('warn', 'trial') : null} ${stateBadge(l.state)}
        </div>
        <dl>
          ${row('Reason', l.reason)} ${row('Expires', instant(l.expiresAt, now, 'never'))}
          ${l.graceEndsAt === null ? null : row('Grace ends', instant(l.graceEndsAt, now))}
          ${row('Verified', instant(l.lastVerifiedAt, now, 'never'))}
          ${row('Features', l.features.length === 0 ? 'none' : l.features.join(', '))}
        </dl>
      </li>`,
  );
  return html`<section id="licenses" class="wide">
    <h2>Licences (${licenses.length})</h2>
    ${
      items.length === 0
        ? html`<p class="note">This device holds no licence.</p>`
        : html`<ul class="items">
            ${items}
          </ul>`
    }
  </section>`;
}

export function featuresSection(features: readonly Feature[], now: number): Html {
  const items = features.map(
    (f) =>
      html`<li>
        <div>
          <span class="name">${f.code}</span> ${stateBadge(f.state)}
          ${f.allowed ? badge('ok', 'allowed') : badge('bad', 'not allowed')}
        </div>
        <dl>
          ${row('Reason', f.reason)} ${row('Expires', instant(f.expiresAt, now, 'never'))}
          ${f.graceEndsAt === null ? null : row('Grace ends', instant(f.graceEndsAt, now))}
          ${row('Licence', f.licenseId === null ? 'none' : String(f.licenseId))}
          ${'policy' in f ? row('Policy', f.policy) : null}
        </dl>
      </li>`,
  );
  return html`<section id="features" class="wide">
    <h2>Features (${features.length})</h2>
    ${
      items.length === 0
        ? html`<p class="note">No feature is licensed or configured.</p>`
        : html`<ul class="items">
            ${items}
          </ul>`
    }
  </section>`;
}
