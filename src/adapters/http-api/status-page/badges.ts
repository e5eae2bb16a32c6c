import { html, type Html } from './html.js';

/** How a state looks: `ok`, `warn` and `bad` are for things that are not decisions. */
export type Tone = 'active' | 'grace' | 'expired' | 'denied' | 'unknown' | 'ok' | 'warn' | 'bad';

export function badge(tone: Tone, text: string): Html {
  return html`<span class="state state-${tone}">${text}</span>`;
}

const DECISION_TONES: Readonly<Record<string, Tone>> = {
  active: 'active',
  grace: 'grace',
  expired: 'expired',
  denied: 'denied',
  unknown: 'unknown',
};

/** A decision's state, in its own colour; a state the page does not know shows plain. */
export function stateBadge(state: string): Html {
  return badge(DECISION_TONES[state] ?? 'unknown', state);
}

/** One row of a definition list. */
export function row(term: string, value: Html | string): Html {
  return html`<dt>${term}</dt>
    <dd>${value}</dd>`;
}
