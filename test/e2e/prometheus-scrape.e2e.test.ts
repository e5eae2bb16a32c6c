import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunningCli } from './cli-process.js';
import {
  ALERTS_FILE,
  alertRules,
  dashboardPanels,
  runnableExpr,
  startSandboxAgent,
} from './prometheus-fleet-files.js';

// The Debian package `prometheus` (CI installs it, .ci/run). On a developer machine without it
// the tests skip and say why; in CI a missing binary fails them.
const PROMETHEUS = process.env['PROMETHEUS'] ?? '/usr/bin/prometheus';
const installed = existsSync(PROMETHEUS);
const inCi = process.env['CI'] === 'true';

const dir = mkdtempSync(join(tmpdir(), 'ela-prometheus-scrape-'));
const agents: RunningCli[] = [];
let prometheus: ChildProcess | null = null;
let prometheusOutput = '';
let api = '';

/** A loopback port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface ApiAnswer<T> {
  readonly status: 'success' | 'error';
  readonly data: T;
  readonly error?: string;
}

async function prometheusApi<T>(path: string): Promise<ApiAnswer<T>> {
  const response = await request(`${api}${path}`);
  return (await response.body.json()) as ApiAnswer<T>;
}

interface Vector {
  readonly resultType: string;
  readonly result: { metric: Record<string, string>; value: [number, string] }[];
}

async function query(expr: string): Promise<ApiAnswer<Vector>> {
  return prometheusApi<Vector>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
}

/** Polls until `found` gives a value, for at most 30 s. */
async function eventually<T>(what: string, found: () => Promise<T | undefined>): Promise<T> {
  for (let waited = 0; waited < 30_000; waited += 250) {
    const value = await found().catch(() => undefined);
    if (value !== undefined) return value;
    if (prometheus?.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} never happened; Prometheus wrote:\n${prometheusOutput}`);
}

beforeAll(async () => {
  if (!installed) return;
  const targets: string[] = [];
  for (const profile of ['full', 'lean'] as const) {
    const { agent, url } = await startSandboxAgent(dir, profile);
    agents.push(agent);
    targets.push(new URL(url).host);
  }
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [ALERTS_FILE],
      scrape_configs: [{ job_name: 'edge-license-agent', static_configs: [{ targets }] }],
    }),
  );
  const port = await freePort();
  api = `http://127.0.0.1:${String(port)}`;
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${String(port)}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout?.on('data', (chunk: Buffer) => (prometheusOutput += chunk.toString()));
  prometheus.stderr?.on('data', (chunk: Buffer) => (prometheusOutput += chunk.toString()));
}, 60_000);

afterAll(async () => {
  const running = prometheus;
  if (running !== null && running.exitCode === null) {
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
  await Promise.all(agents.map((agent) => agent.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a real Prometheus scraping the agent', () => {
  it.skipIf(!installed && !inCi)(
    'stores license_agent_ series from both profiles, queried through its HTTP API',
    async () => {
      expect(installed, `${PROMETHEUS} must exist here (CI installs "prometheus")`).toBe(true);
      const series = await eventually('a scrape of both agents', async () => {
        const answer = await query('license_agent_device_state{state="active"} == 1');
        return answer.data.result.length === 2 ? answer.data.result : undefined;
      });
      expect(series.map((s) => s.metric['job'])).toEqual([
        'edge-license-agent',
        'edge-license-agent',
      ]);
      // Only the full agent has per-licence series: the sandbox's three licences.
      const perLicence = await query('count by (instance) (license_agent_license_active)');
      expect(perLicence.data.result.map((s) => s.value[1])).toEqual(['3']);
    },
    45_000,
  );

  it.skipIf(!installed && !inCi)(
    'loads config/prometheus/alerts.yml and evaluates every rule healthy',
    async () => {
      type Rules = { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
      const evaluated = await eventually('every rule evaluated', async () => {
        const answer = await prometheusApi<Rules>('/api/v1/rules');
        const rules = answer.data.groups.flatMap((group) => group.rules);
        return rules.length > 0 && rules.every((rule) => rule.health !== 'unknown')
          ? rules
          : undefined;
      });
      expect(evaluated.map((rule) => rule.name).sort()).toEqual(
        alertRules()
          .map((rule) => rule.alert)
          .sort(),
      );
      expect(evaluated.filter((rule) => rule.health !== 'ok')).toEqual([]);
    },
    45_000,
  );

  it.skipIf(!installed && !inCi)(
    'fires SandboxInUse for agents on the sandbox, from the real series',
    async () => {
      type Alerts = { alerts: { labels: Record<string, string>; state: string }[] };
      const firing = await eventually('SandboxInUse firing', async () => {
        const answer = await prometheusApi<Alerts>('/api/v1/alerts');
        const sandbox = answer.data.alerts.filter(
          (alert) => alert.labels['alertname'] === 'SandboxInUse' && alert.state === 'firing',
        );
        return sandbox.length === 2 ? sandbox : undefined;
      });
      expect(firing.map((alert) => alert.labels['kind'])).toEqual(['sandbox', 'sandbox']);
    },
    45_000,
  );

  it.skipIf(!installed && !inCi)(
    "runs every query of the fleet dashboard's panels without error",
    async () => {
      const failed: string[] = [];
      for (const panel of dashboardPanels()) {
        for (const target of panel.targets ?? []) {
          const answer = await query(runnableExpr(target.expr));
          if (answer.status !== 'success') failed.push(`${panel.title}: ${answer.error ?? ''}`);
        }
      }
      expect(failed).toEqual([]);
    },
    45_000,
  );
});
