import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CREDENTIAL_REJECTIONS } from '../../src/adapters/metrics/outcome-labels.js';
import { PROMETHEUS_CONFIG, promtool } from './promtool.js';

interface Rule {
  readonly alert: string;
  readonly expr: string;
}

function rules(): Rule[] {
  const file = parse(readFileSync(join(PROMETHEUS_CONFIG, 'alerts.yml'), 'utf8')) as {
    groups: { rules: Rule[] }[];
  };
  return file.groups.flatMap((group) => group.rules);
}

describe('config/prometheus', () => {
  it('holds alert rules that pass `promtool check rules`', (context) => {
    const run = promtool(['check', 'rules', 'alerts.yml'], (note) => context.skip(note));
    expect(run?.status, run?.output).toBe(0);
    expect(run?.output).toContain(`SUCCESS: ${String(rules().length)} rules found`);
  });

  it('holds alert rules that pass their unit tests, `promtool test rules alerts.test.yml`', (context) => {
    const run = promtool(['test', 'rules', 'alerts.test.yml'], (note) => context.skip(note));
    expect(run?.status, run?.output).toBe(0);
    expect(run?.output).toContain('SUCCESS');
  });

  it('holds a scrape config Prometheus accepts', (context) => {
    // Syntax only: the example names a token file and a device list that exist on a real server.
    const run = promtool(['check', 'config', '--syntax-only', 'scrape.yml'], (note) =>
      context.skip(note),
    );
    expect(run?.status, run?.output).toBe(0);
  });

  it('has a unit test for every alert', () => {
    const tests = readFileSync(join(PROMETHEUS_CONFIG, 'alerts.test.yml'), 'utf8');
    const untested = rules().filter((rule) => !tests.includes(`alertname: ${rule.alert}\n`));
    expect(untested).toEqual([]);
    // Each must be seen firing too, not only staying quiet.
    const firing = rules().filter(
      (rule) => !new RegExp(`alertname: ${rule.alert}\\n\\s+exp_alerts:\\n`).test(tests),
    );
    expect(firing).toEqual([]);
  });

  it('alerts on exactly the rejections that mean the credentials are refused', () => {
    const rule = rules().find((r) => r.alert === 'CredentialsRejected');
    const causes = /cause=~"([^"]+)"/.exec(rule?.expr ?? '')?.[1]?.split('|');
    expect(causes?.sort()).toEqual([...CREDENTIAL_REJECTIONS].sort());
  });
});
