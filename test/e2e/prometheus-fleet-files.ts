import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { sandboxConfigYaml } from './cli-agent-config.js';
import { startCli, waitReady, type RunningCli } from './cli-process.js';

const CONFIG = fileURLToPath(new URL('../../config/', import.meta.url));
export const ALERTS_FILE = join(CONFIG, 'prometheus', 'alerts.yml');
export const DASHBOARD_FILE = join(CONFIG, 'grafana', 'fleet-dashboard.json');
export const METRICS_DOC = fileURLToPath(new URL('../../docs/metrics.md', import.meta.url));

/** The series names a PromQL expression reads. */
export function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(?:license_agent|process|nodejs)_[a-z0-9_]+\b/g)].map((m) => m[0]);
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
}

export function alertRules(): AlertRule[] {
  const file = parse(readFileSync(ALERTS_FILE, 'utf8')) as { groups: { rules: AlertRule[] }[] };
  return file.groups.flatMap((group) => group.rules);
}

export interface DashboardPanel {
  readonly title: string;
  readonly type: string;
  readonly targets?: readonly { readonly expr: string }[];
}

export function dashboardPanels(): DashboardPanel[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as {
    panels: DashboardPanel[];
  };
  return dashboard.panels.filter((panel) => panel.type !== 'row');
}

/** A panel's expressions as Prometheus can run them: Grafana's variables filled in. */
export function runnableExpr(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', '.*');
}

export type Profile = 'full' | 'lean';

/** The built agent on the sandbox, with a metrics profile, on a free loopback port. */
export async function startSandboxAgent(
  dir: string,
  profile: Profile,
): Promise<{ readonly agent: RunningCli; readonly url: string }> {
  const config = join(dir, `${profile}.yaml`);
  await writeFile(
    config,
    sandboxConfigYaml({
      device: { hardwareId: `prometheus-e2e-${profile}` },
      stateDirectory: join(dir, `state-${profile}`),
      metrics: { profile },
    }),
  );
  const agent = startCli(['run', '--config', config]);
  const url = await agent.url();
  await waitReady(url);
  return { agent, url };
}
