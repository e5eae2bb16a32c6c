import { createHash } from 'node:crypto';

/**
 * The page's only style, inline: the page loads nothing else. The Content-Security-Policy allows
 * this exact text by its hash, so an injected <style> or style attribute would not apply.
 */
export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#e9eef3;--card:#ffffff;--text:#1b2430;--muted:#5b6675;
--line:#d3dae2;--head:#1f4e79;--head-text:#ffffff;--ok:#1e7a3c;--warn:#9a6400;--bad:#b3261e;
--none:#5b6675}
@media (prefers-color-scheme:dark){:root{--bg:#12161b;--card:#1c232b;--text:#e4e9ef;
--muted:#9aa6b4;--line:#2e3843;--head:#0d2a44;--head-text:#e4e9ef;--ok:#5cc47f;--warn:#e0a83e;
--bad:#f07b72;--none:#9aa6b4}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--text);font:15px/1.45 system-ui,sans-serif}
body{margin:0}
header{background:var(--head);color:var(--head-text);
/* The text lines up with the cards below it, at any width. */
padding:.75rem max(1.75rem,calc((100% - 64rem) / 2 + 1.75rem))}
header h1{font-size:1.15rem;margin:0}
header p{margin:.2rem 0 0;opacity:.85;font-size:.85rem}
main{display:grid;gap:.75rem;padding:.75rem;max-width:64rem;margin:0 auto}
@media (min-width:600px){main{grid-template-columns:1fr 1fr}.wide{grid-column:1/-1}}
section{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;
min-width:0}
h2{font-size:1rem;margin:0 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .75rem;margin:0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
ul.items{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
ul.items>li{border-top:1px solid var(--line);padding-top:.5rem}
ul.items>li:first-child{border-top:0;padding-top:0}
.name{font-weight:600;overflow-wrap:anywhere}
code{font:.9em ui-monospace,monospace;overflow-wrap:anywhere}
.rel,.note{color:var(--muted)}
.state{display:inline-block;font-weight:600;font-size:.8rem;padding:0 .4rem;border-radius:.25rem;
border:1px solid currentColor}
.state-active,.state-ok{color:var(--ok)}
.state-grace,.state-warn{color:var(--warn)}
.state-expired,.state-denied,.state-bad{color:var(--bad)}
.state-unknown{color:var(--none)}
footer{color:var(--muted);font-size:.8rem;text-align:center;padding:0 1rem 1rem}
`;

/** The CSP source that allows exactly `PAGE_STYLE`. */
export const PAGE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${PAGE_STYLE_SOURCE}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
