import { html, type Html } from './html.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span a person reads at a glance: the two largest units, whole. */
export function spanText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < MINUTE) return `${String(s)} s`;
  if (s < HOUR) return `${String(Math.floor(s / MINUTE))} min`;
  if (s < DAY) {
    const minutes = Math.floor((s % HOUR) / MINUTE);
    return `${String(Math.floor(s / HOUR))} h${minutes === 0 ? '' : ` ${String(minutes)} min`}`;
  }
  const hours = Math.floor((s % DAY) / HOUR);
  return `${String(Math.floor(s / DAY))} d${hours === 0 ? '' : ` ${String(hours)} h`}`;
}

/**
 * An instant as the API gives it (ISO 8601 UTC), shortened to the minute for reading, with how
 * far it is from now; the exact instant stays in `datetime`. `never` says what null means here.
 */
export function instant(iso: string | null, nowMs: number, never = '—'): Html {
  if (iso === null) return html`${never}`;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return html`${iso}`;
  const shown = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const away = (at - nowMs) / 1000;
  const relative =
    Math.abs(away) < 1 ? 'now' : away > 0 ? `in ${spanText(away)}` : `${spanText(-away)} ago`;
  return html`<time datetime="${iso}">${shown}</time> <span class="rel">(${relative})</span>`;
}
