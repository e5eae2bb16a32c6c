import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { presentStatus } from '../../../../src/adapters/http-api/present.js';
import type { LemStatusPart } from '../../../../src/adapters/http-api/status-page/lem-section.js';
import { PAGE_CSP } from '../../../../src/adapters/http-api/status-page/page-style.js';
import { renderStatusPage } from '../../../../src/adapters/http-api/status-page/render-status-page.js';
import { agentStatus, feature, license, NOW } from './status-fixture.js';
import type { AgentStatus } from '../../../../src/agent/agent-view.js';

function page(status: AgentStatus = agentStatus(), lem?: LemStatusPart): string {
  const presented = presentStatus(status);
  return renderStatusPage({
    status: lem === undefined ? presented : { ...presented, lem },
    now: NOW,
  });
}

function withDecisions(over: Partial<AgentStatus['decisions']>): AgentStatus {
  const base = agentStatus();
  return { ...base, decisions: { ...base.decisions, ...over } };
}

/** The page's text with tags dropped and entities left as they are. */
function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
}

describe('the status page', () => {
  it('shows a feature named <script>alert(1)</script> as text, never as markup', () => {
    const html = page(
      withDecisions({ features: [feature({ code: '<script>alert(1)</script>' })] }),
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('cannot be broken out of an attribute or the title by a hardware ID', () => {
    const hostile = `"><img src=x onerror=alert(1)>'`;
    const status = agentStatus();
    const html = page({ ...status, device: { ...status.device, hardwareId: hostile } });
    expect(html).not.toContain('<img');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;');
  });

  it('escapes what the server sent in a licence: product code, type and reason', () => {
    const html = page(
      withDecisions({
        licenses: [license({ productCode: '<b>pro</b>', type: 'a&b', features: ['<i>x</i>'] })],
      }),
    );
    expect(html).not.toMatch(/<b>|<i>/);
    expect(html).toContain('&lt;b&gt;pro&lt;/b&gt;');
    expect(html).toContain('a&amp;b');
    expect(html).toContain('&lt;i&gt;x&lt;/i&gt;');
  });

  it('carries exactly the style the Content-Security-Policy allows by its hash', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(page())?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(style).toContain('prefers-color-scheme:dark');
    expect(PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
  });

  it('loads nothing and runs nothing: no script, no link, no external URL in any attribute', () => {
    const html = page();
    expect(html).not.toMatch(/<script|<link|<iframe|<img|\bsrc=|\bhref=|\bstyle=/i);
  });

  it('refreshes itself and fits a phone', () => {
    const html = page();
    expect(html).toMatch(/<meta http-equiv="refresh" content="15"/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"');
  });

  it('shows every licence with its product, ID, state, reason and expiry', () => {
    const html = page(
      withDecisions({
        licenses: [
          license(),
          license({
            licenseId: 42,
            productCode: 'old-suite',
            state: 'expired',
            reason: 'license_expired',
            allowed: false,
            expiresAt: NOW - 3 * 86_400_000,
          }),
        ],
      }),
    );
    const text = textOf(html);
    expect(text).toContain('Licences (2)');
    expect(text).toMatch(/edge-suite licence 1700000000000101, subscription active/);
    expect(text).toMatch(/old-suite licence 42, subscription expired Reason license_expired/);
    expect(text).toContain('Expires 2026-03-31 12:00 UTC (in 30 d)');
    expect(text).toContain('Expires 2026-02-26 12:00 UTC (3 d ago)');
  });

  it('shows every feature with its state, reason and whether it is allowed', () => {
    const html = page(
      withDecisions({
        features: [
          feature(),
          feature({
            code: 'export',
            licenseId: null,
            allowed: false,
            state: 'denied',
            reason: 'not_licensed',
            expiresAt: null,
          }),
        ],
      }),
    );
    const text = textOf(html);
    expect(text).toContain('reporting active allowed Reason licensed');
    expect(text).toContain('export denied not allowed Reason not_licensed');
  });

  it('shows the fail policy that answered for a feature it could not decide', () => {
    const html = page(
      withDecisions({
        features: [feature({ state: 'unknown', reason: 'no_genuine_answer', policy: 'fail-open' })],
      }),
    );
    expect(textOf(html)).toContain('Policy fail-open');
  });

  it('counts down the offline grace while the server cannot be reached', () => {
    const text = textOf(page());
    expect(text).toContain('Remaining 1 d 2 h left while offline');
    expect(text).toContain('Health failing timeout');
  });

  it('says when the grace has run out', () => {
    const status = agentStatus();
    const text = textOf(
      page({ ...status, offline: { ...status.offline, graceEndsAt: NOW - 60_000 } }),
    );
    expect(text).toContain('Remaining ended');
  });

  it('shows the last sync and when the next one starts', () => {
    const text = textOf(page());
    expect(text).toContain('Last sync failed 2026-03-01 11:55 UTC (5 min ago)');
    expect(text).toContain('Next sync 2026-03-01 18:01 UTC (in 6 h 1 min) (steady)');
  });

  it('names the hardware-ID components that changed since enrolment', () => {
    const status = agentStatus();
    const text = textOf(
      page({ ...status, device: { ...status.device, changedComponents: ['mac', 'machineId'] } }),
    );
    expect(text).toContain('Drift changed mac, machineId since enrolment');
  });

  it('shows the LEM pool, this device and the lem: features only when the status has a LEM part', () => {
    expect(page()).not.toContain('id="lem"');
    const ok = { lastOkAt: new Date(NOW - 60_000).toISOString(), ageSeconds: 60, last: null };
    const failed = {
      lastOkAt: new Date(NOW - 3_600_000).toISOString(),
      ageSeconds: 3600,
      last: {
        at: new Date(NOW - 60_000).toISOString(),
        kind: 'refused' as const,
        outcome: 'lem_token_rejected',
        message: 'the LEM token is wrong or expired: <manage tokens>',
      },
    };
    const html = page(agentStatus(), {
      upstream: { kind: 'lem' as const, baseUrl: 'https://lem.example/', projectId: 'p1' },
      schedule: '*/15 * * * *',
      splaySeconds: 120,
      running: true,
      stateFile: 'restored',
      parts: { stats: ok, skus: ok, used: ok, server_features: ok, license_features: failed },
      pool: { stats: { active: 10, used: 7, unused: 3, expired: 1 }, skus: null, devices: 7 },
      device: {
        foundBy: { macAddress: '00:1a:2b:3c:4d:5e' },
        entries: [
          {
            deviceId: 'd1',
            deviceName: null,
            deviceFriendlyName: null,
            macAddress: '00:1a:2b:3c:4d:5e',
            featureExpiresAt: null,
            licenses: [
              {
                id: 'l1',
                sku: 'litmusedge-scale-nl',
                status: 'OK',
                core: true,
                trial: false,
                activatedAt: null,
                expiresAt: new Date(NOW + 30 * 86_400_000).toISOString(),
                featureExpiresAt: null,
              },
            ],
          },
        ],
      },
      serverFeatures: null,
      licenseFeatures: null,
      features: [],
    });
    const text = textOf(html);
    expect(text).toContain('Pool 7 used, 3 unused, 1 expired (10 active)');
    expect(text).toContain('This device litmusedge-scale-nl OK');
    // LEM's message is shown, escaped.
    expect(text).toContain(
      'Failing: license_features failing the LEM token is wrong or expired: &lt;manage tokens&gt;',
    );
    expect(html).not.toContain('<manage tokens>');
  });
});
