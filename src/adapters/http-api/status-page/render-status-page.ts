import { deviceSection, graceSection, syncSection, upstreamSection } from './device-sections.js';
import { featuresSection, licensesSection } from './entitlement-sections.js';
import { Html, html } from './html.js';
import { lemSection } from './lem-section.js';
import type { StatusPageInput } from './page-input.js';
import { PAGE_STYLE } from './page-style.js';

/** Often enough for a technician watching a sync, rarely enough to cost nothing. */
export const REFRESH_SECONDS = 15;

// A constant with no `</style`, placed as it is: the CSP hash is of exactly the element's text,
// so neither escaping its `>` nor the template's indentation may touch it.
const STYLE_ELEMENT = Html.trusted(`<style>${PAGE_STYLE}</style>`);

/** The whole page, one column on a phone; the style is `PAGE_STYLE`, byte for byte. */
export function renderStatusPage(input: StatusPageInput): string {
  const { status, now } = input;
  const asOf = new Date(now).toISOString();
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="refresh" content="${REFRESH_SECONDS}" />
        <title>Licences of ${status.device.hardwareId}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <header>
          <h1>edge-license-agent</h1>
          <p>
            version ${status.version} · as of
            <time datetime="${asOf}">${asOf.slice(0, 19).replace('T', ' ')} UTC</time> · refreshes
            every ${REFRESH_SECONDS} s
          </p>
        </header>
        <main>
          ${deviceSection(status)} ${graceSection(status, now)}
          ${licensesSection(status.licenses, now)} ${featuresSection(status.features, now)}
          ${syncSection(status, now)} ${upstreamSection(status, now)}
          ${status.lem === undefined ? null : lemSection(status.lem, now)}
        </main>
        <footer>The same data as JSON: <code>/v1/status</code></footer>
      </body>
    </html> `.text;
}
