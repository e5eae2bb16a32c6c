import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxConfigYaml } from './cli-agent-config.js';
import { getJson, outputMatch, startCli, waitReady, type RunningCli } from './cli-process.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Reloadable {
  readonly cli: RunningCli;
  readonly url: string;
  /** Rewrites the config file with `extra` over the sandbox config, and sends SIGHUP. */
  reload(extra: Record<string, unknown> | string): void;
  /** Waits for a log line matching `pattern` written after the latest reload. */
  logged(pattern: RegExp): Promise<RegExpExecArray>;
}

async function reloadableAgent(extra: Record<string, unknown>): Promise<Reloadable> {
  const dir = await mkdtemp(join(tmpdir(), 'ela-reload-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'agent.yaml');
  const base = { stateDirectory: join(dir, 'state') };
  await writeFile(path, sandboxConfigYaml({ ...base, ...extra }));
  const cli = startCli(['run', '--config', path]);
  cleanups.push(() => cli.stop('SIGKILL'));
  const url = await cli.url();
  await waitReady(url);
  let since = 0;
  return {
    cli,
    url,
    reload: (next) => {
      // Written synchronously so that the signal never meets a half-written file.
      since = cli.output().length;
      const text = typeof next === 'string' ? next : sandboxConfigYaml({ ...base, ...next });
      writeFileSync(path, text);
      cli.child.kill('SIGHUP');
    },
    logged: (pattern) => outputMatch(cli.child, () => cli.output().slice(since), pattern),
  };
}

const featureCodes = async (url: string): Promise<string[]> =>
  ((await getJson(`${url}/v1/status`)).body as { features: { code: string }[] }).features.map(
    (f) => f.code,
  );

const reloadFailures = async (url: string, reason: string): Promise<number> => {
  const text = (await getJson(`${url}/metrics`)).text;
  const line = new RegExp(
    `^license_agent_config_reload_failures_total\\{reason="${reason}"\\} (\\d+)$`,
    'm',
  ).exec(text);
  return Number(line?.[1] ?? Number.NaN);
};

describe('reloading the configuration on SIGHUP', () => {
  it('applies a changed feature list to /v1/status without a restart', async () => {
    const agent = await reloadableAgent({ licensespring: { features: ['site-feature-a'] } });
    expect(await featureCodes(agent.url)).toContain('site-feature-a');
    expect(await featureCodes(agent.url)).not.toContain('site-feature-b');

    agent.reload({ licensespring: { features: ['site-feature-b'] } });
    await agent.logged(/"changed":\["features"\].*"configuration reloaded"/);
    expect(await featureCodes(agent.url)).toContain('site-feature-b');
    expect(await featureCodes(agent.url)).not.toContain('site-feature-a');
    // The sync the reload starts says so; the boot's said boot.
    await agent.logged(/"trigger":"reload".*"sync finished"/);
    expect(agent.cli.output()).toMatch(/"trigger":"boot".*"sync finished"/);
    expect(await reloadFailures(agent.url, 'invalid')).toBe(0);
  });

  it('keeps serving the running config when the new one is invalid, naming the keys and counting it', async () => {
    const agent = await reloadableAgent({ licensespring: { features: ['site-feature-a'] } });
    expect(await reloadFailures(agent.url, 'invalid')).toBe(0);

    agent.reload({ sync: { splaySeconds: -1, schedulle: '* * * * *' } });
    await agent.logged(/"key":"sync.splaySeconds".*"reload refused/);
    await agent.logged(/"key":"sync.schedulle".*"reload refused/);
    expect(await reloadFailures(agent.url, 'invalid')).toBe(1);
    expect(await featureCodes(agent.url)).toContain('site-feature-a');
    expect((await getJson(`${agent.url}/readyz`)).status).toBe(200);

    agent.reload('licensespring: [not, a, mapping');
    await agent.logged(/"key":"\(file\)".*"reload refused/);
    expect(await reloadFailures(agent.url, 'invalid')).toBe(2);
    expect(agent.cli.child.exitCode).toBeNull();
  });

  it('refuses, naming the key, a reload that changes http.port, and applies none of it', async () => {
    const agent = await reloadableAgent({ licensespring: { features: ['site-feature-a'] } });
    agent.reload({ http: { port: 7399 }, licensespring: { features: ['site-feature-b'] } });
    const refusal = await agent.logged(
      /"key":"http.port".*"reload refused: http.port changed[^"]*"/,
    );
    expect(refusal[0]).toContain('restart');
    expect(await reloadFailures(agent.url, 'restart_required')).toBe(1);
    expect(await featureCodes(agent.url)).toContain('site-feature-a');
    expect(await featureCodes(agent.url)).not.toContain('site-feature-b');
  });
});
