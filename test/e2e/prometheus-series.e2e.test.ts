import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSamples, type Sample } from '../adapters/metrics/exposition.js';
import { getJson, type RunningCli } from './cli-process.js';
import {
  alertRules,
  dashboardPanels,
  METRICS_DOC,
  metricNames,
  startSandboxAgent,
  type Profile,
} from './prometheus-fleet-files.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-prometheus-series-'));
const PROFILES: readonly Profile[] = ['full', 'lean'];
const agents: RunningCli[] = [];
const urls = new Map<Profile, string>();
const scrapes = new Map<Profile, Sample[]>();

async function scrape(url: string): Promise<Sample[]> {
  const response = await request(`${url}/metrics`);
  expect(response.statusCode).toBe(200);
  return parseSamples(await response.body.text());
}

async function ofrep(url: string, flag: string): Promise<number> {
  const response = await request(`${url}/ofrep/v1/evaluate/flags/${flag}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"context":{}}',
  });
  await response.body.dump();
  return response.statusCode;
}

beforeAll(async () => {
  for (const profile of PROFILES) {
    const { agent, url } = await startSandboxAgent(dir, profile);
    agents.push(agent);
    urls.set(profile, url);
    // Questions on both surfaces: one allowed, one about an expired feature, one unknown code.
    expect((await getJson(`${url}/v1/features/analytics`)).body.allowed).toBe(true);
    expect((await getJson(`${url}/v1/features/legacy-export`)).body.allowed).toBe(false);
    expect(await ofrep(url, 'analytics')).toBe(200);
    expect(await ofrep(url, 'no-such-feature')).toBe(404);
    scrapes.set(profile, await scrape(url));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** docs/metrics.md's "Series per device" row for the profile: `[agent, process range]`. */
function documentedCounts(profile: Profile): { agent: number; process: [number, number] } {
  const row = new RegExp(
    `^\\| \`${profile}\`\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)(?:–(\\d+))?\\s*\\|`,
    'm',
  );
  const match = row.exec(readFileSync(METRICS_DOC, 'utf8'));
  if (match === null) throw new Error(`docs/metrics.md has no series count for ${profile}`);
  const low = Number(match[2]);
  return { agent: Number(match[1]), process: [low, Number(match[3] ?? low)] };
}

function samplesOf(profile: Profile): Sample[] {
  const samples = scrapes.get(profile);
  if (samples === undefined) throw new Error(`no scrape of the ${profile} agent`);
  return samples;
}

describe.each(PROFILES)('the sandbox agent with metrics.profile %s', (profile) => {
  it('exports the number of series docs/metrics.md states for it', () => {
    const samples = samplesOf(profile);
    const own = samples.filter((s) => s.name.startsWith('license_agent_')).length;
    const process = samples.length - own;
    const documented = documentedCounts(profile);
    expect(own).toBe(documented.agent);
    expect(process).toBeGreaterThanOrEqual(documented.process[0]);
    expect(process).toBeLessThanOrEqual(documented.process[1]);
  });

  it('exports every series the alert rules read', () => {
    const exported = new Set(samplesOf(profile).map((s) => s.name));
    const missing = alertRules().flatMap((rule) =>
      metricNames(rule.expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    expect(alertRules().flatMap((rule) => metricNames(rule.expr)).length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it("exports every series the fleet dashboard's panels read", () => {
    const exported = new Set(samplesOf(profile).map((s) => s.name));
    const panels = dashboardPanels();
    const missing = panels.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) =>
        metricNames(target.expr)
          .filter((name) => !exported.has(name))
          .map((name) => `${panel.title}: ${name}`),
      ),
    );
    const unread = panels.filter(
      (panel) => (panel.targets ?? []).flatMap((t) => metricNames(t.expr)).length === 0,
    );
    expect(panels.length).toBeGreaterThan(10);
    expect(unread.map((panel) => panel.title)).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('counts the feature questions asked over the local API and OFREP, and their denials', () => {
    const value = (name: string, surface: string) =>
      samplesOf(profile).find((s) => s.name === name && s.labels['surface'] === surface)?.value;
    expect(value('license_agent_feature_questions_total', 'api')).toBe(2);
    expect(value('license_agent_feature_denials_total', 'api')).toBe(1);
    expect(value('license_agent_feature_questions_total', 'ofrep')).toBe(2);
    expect(value('license_agent_feature_denials_total', 'ofrep')).toBe(1);
  });

  it("gives the adaptive cadence's next sync and its reason, as /v1/status does", async () => {
    const url = urls.get(profile) ?? '';
    const status = (await getJson(`${url}/v1/status`)).body as {
      sync: { schedule: string | null; next: { at: string; reason: string } | null };
    };
    expect(status.sync.schedule).toBeNull();
    // Nothing in the sandbox's licences is within the hour: the next sync is an hour after the
    // first, which started at boot.
    expect(status.sync.next?.reason).toBe('steady');
    const next = samplesOf(profile).find(
      (s) => s.name === 'license_agent_next_sync_timestamp_seconds',
    );
    expect(next?.value).toBe(Date.parse(status.sync.next?.at ?? '') / 1000);
    const reasons = samplesOf(profile).filter((s) => s.name === 'license_agent_next_sync_reason');
    expect(reasons.filter((s) => s.value === 1).map((s) => s.labels['reason'])).toEqual(['steady']);
    expect(reasons).toHaveLength(7);
  });

  it('passes `promtool check metrics` as scraped', async (context) => {
    const text = await (await request(`${urls.get(profile) ?? ''}/metrics`)).body.text();
    const result = spawnSync(process.env['PROMTOOL'] ?? 'promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
    });
    const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    if (missing && process.env['CI'] !== 'true') {
      context.skip('promtool not found: install the Debian package "prometheus"');
    }
    expect(result.error, 'promtool must run here (CI installs "prometheus")').toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
