// The status page as a technician's browser shows it: real headless Chromium (Debian's package)
// loads http://127.0.0.1:PORT/ from the built agent on the sandbox, and what it shows is checked
// against /v1/status. UPDATE_SCREENSHOT=1 keeps the phone-width screenshot as docs/status-page.png.
import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxConfigYaml } from './cli-agent-config.js';
import { getJson, startCli, waitReady, type RunningCli } from './cli-process.js';
import { readPng } from './png-pixels.js';

const run = promisify(execFile);
const HOSTILE_FEATURE = '<script>alert(1)</script>';
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../docs/status-page.png', import.meta.url));
/** The page's light colours (page-style.ts): the header band and the page behind the cards. */
const HEADER = '#1f4e79';
const BACKGROUND = '#e9eef3';
const DARK_BACKGROUND = '#12161b';

/** Debian names it `chromium`; other systems `chromium-browser`. CHROMIUM names another. */
function findChromium(): string | null {
  const named = process.env['CHROMIUM'];
  if (named !== undefined && named !== '') return named;
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return null;
}

const chromium = findChromium();
const inCi = process.env['CI'] === 'true';
// Outside CI a machine without Chromium skips, saying so; CI installs it (.ci/run) and must fail.
const skip = chromium === null && !inCi;
const dir = mkdtempSync(join(tmpdir(), 'ela-page-'));
let agent: RunningCli | undefined;
let base: string;
let dom: Promise<string> | undefined;

/** The page as Chromium built it, loaded once for the tests that read it. */
function pageDom(): Promise<string> {
  dom ??= browse(['--dump-dom', `${base}/`]);
  return dom;
}

/** Runs headless Chromium, each run with its own profile, and returns what it printed. */
async function browse(args: readonly string[]): Promise<string> {
  if (chromium === null) throw new Error('CI=true and no chromium on PATH: .ci/run installs it');
  const profile = mkdtempSync(join(dir, 'profile-'));
  const { stdout } = await run(
    chromium,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

/** What the DOM shows as text: tags dropped, entities read, spaces collapsed. */
function textOf(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The items of the page section with this id, each as text. */
function itemsOf(dom: string, section: string): string[] {
  const start = dom.indexOf(`<section id="${section}"`);
  const end = dom.indexOf('</section>', start);
  if (start === -1 || end === -1) throw new Error(`no ${section} section in the page`);
  return [...dom.slice(start, end).matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/g)].map((m) =>
    textOf(m[1] ?? ''),
  );
}

beforeAll(async () => {
  if (skip) return;
  writeFileSync(
    join(dir, 'agent.yaml'),
    sandboxConfigYaml({
      device: { hardwareId: 'page-device-0001' },
      stateDirectory: join(dir, 'state'),
      licensespring: { features: [HOSTILE_FEATURE] },
    }),
  );
  agent = startCli(['run', '--config', join(dir, 'agent.yaml')]);
  base = await agent.url();
  await waitReady(base);
});
afterAll(async () => {
  await agent?.stop();
});

describe.skipIf(skip)(
  `the status page in headless Chromium${skip ? ' (skipped: no chromium binary on PATH; CI=true fails instead)' : ''}`,
  () => {
    it('shows every licence and every feature of /v1/status, with state and reason', async () => {
      const { body: status } = await getJson(`${base}/v1/status`);
      const dom = await pageDom();
      expect(textOf(dom)).toContain(status.device.hardwareId);

      const licenses = itemsOf(dom, 'licenses');
      expect(status.licenses.length).toBeGreaterThan(0);
      expect(licenses).toHaveLength(status.licenses.length);
      for (const license of status.licenses) {
        const shown = licenses.find((l) => l.includes(`licence ${String(license.licenseId)},`));
        expect(shown, `licence ${String(license.licenseId)}`).toBeDefined();
        expect(shown).toContain(license.product);
        expect(shown).toContain(` ${license.state} `);
        expect(shown).toContain(`Reason ${license.reason} `);
        if (license.expiresAt !== null)
          expect(shown).toContain(`Expires ${license.expiresAt.slice(0, 10)}`);
      }

      const features = itemsOf(dom, 'features');
      expect(features).toHaveLength(status.features.length);
      for (const feature of status.features) {
        const shown = features.find((f) => f.startsWith(` ${feature.code} `));
        expect(shown, `feature ${feature.code}`).toBeDefined();
        expect(shown).toContain(` ${feature.state} `);
        expect(shown).toContain(`Reason ${feature.reason} `);
        expect(shown).toContain(feature.allowed ? ' allowed ' : ' not allowed ');
      }
    });

    it('shows a feature named <script>alert(1)</script> as text: the browser built no script', async () => {
      const dom = await pageDom();
      expect(dom).not.toMatch(/<script/i);
      expect(itemsOf(dom, 'features').some((f) => f.startsWith(` ${HOSTILE_FEATURE} `))).toBe(true);
    });

    it('renders styled at phone width: the CSP let its own inline style apply', async () => {
      const file = join(dir, 'status-page.png');
      await browse([`--screenshot=${file}`, '--window-size=412,915', `${base}/`]);
      const png = readPng(readFileSync(file));
      expect([png.width, png.height]).toEqual([412, 915]);
      // Unstyled, both would be white: a wrong hash in the CSP blocks the whole <style>.
      expect(png.colourAt(4, 4)).toBe(HEADER);
      expect(png.colourAt(4, 600)).toBe(BACKGROUND);
      if (process.env['UPDATE_SCREENSHOT'] === '1') copyFileSync(file, DOCS_SCREENSHOT);
    });

    it('follows the dark colour scheme a phone asks for', async () => {
      const file = join(dir, 'status-page-dark.png');
      await browse([
        `--screenshot=${file}`,
        '--window-size=412,915',
        // Blink's PreferredColorScheme: 0 is dark.
        '--blink-settings=preferredColorScheme=0',
        `${base}/`,
      ]);
      expect(readPng(readFileSync(file)).colourAt(4, 600)).toBe(DARK_BACKGROUND);
    });
  },
);
