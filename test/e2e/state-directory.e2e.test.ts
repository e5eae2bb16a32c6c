import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, outputMatch, startCli, waitReady, type RunningCli } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-state-dir-'));
const running: RunningCli[] = [];

afterAll(async () => {
  for (const agent of running) await agent.stop('SIGKILL');
});

function configFor(name: string, stateDirectory: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      'licensespring: { baseUrl: sandbox }',
      `stateDirectory: ${stateDirectory}`,
      'sync: { splaySeconds: 0 }',
      'http: { port: 0 }',
    ].join('\n'),
  );
  return path;
}

function start(config: string): RunningCli {
  const agent = startCli(['run', '--config', config]);
  running.push(agent);
  return agent;
}

async function exitOf(agent: RunningCli): Promise<number | null> {
  return new Promise((resolve) => {
    if (agent.child.exitCode !== null) resolve(agent.child.exitCode);
    else agent.child.once('exit', resolve);
  });
}

/** Polls the status until `done` holds of it: the sync runs on its own schedule. */
async function statusWhen(base: string, done: (status: any) => boolean): Promise<any> {
  for (let tries = 0; tries < 300; tries++) {
    const { body } = await getJson(`${base}/v1/status`);
    if (done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the status never got there');
}

describe('one agent per state directory', () => {
  it('refuses a second agent on the directory, naming it and the first; a SIGKILLed first leaves no lock', async () => {
    const stateDirectory = join(dir, 'shared');
    const config = configFor('shared', stateDirectory);
    const first = start(config);
    await waitReady(await first.url());

    const second = start(config);
    expect(await exitOf(second)).toBe(75);
    expect(second.output()).toContain(
      `stateDirectory (${stateDirectory}) is in use by another agent (pid ${String(first.child.pid)})`,
    );

    expect(await first.stop('SIGKILL')).toBeNull();
    const third = start(config);
    await waitReady(await third.url());
    expect(await third.stop()).toBe(0);
  });
});

describe('a state that cannot be saved', () => {
  it('shows in /v1/status and in the metrics, not only in the logs', async () => {
    const stateDirectory = join(dir, 'unsavable');
    // A directory where state.json goes: the rename of every save fails, even for root.
    mkdirSync(join(stateDirectory, 'state.json'), { recursive: true });
    const agent = start(configFor('unsavable', stateDirectory));
    const base = await agent.url();
    await outputMatch(agent.child, () => agent.output(), /could not save the state/);

    const status = await statusWhen(base, (s) => s.stateSave?.lastError !== null);
    expect(status.stateSave).toEqual({
      lastOkAt: null,
      lastError: { at: expect.any(String), code: 'EISDIR' },
    });
    const metrics = await (await request(`${base}/metrics`)).body.text();
    expect(metrics).toMatch(/^license_agent_state_save_failures_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^license_agent_last_state_save_timestamp_seconds 0$/m);
  });

  it('shows the last good save once saves work', async () => {
    const agent = start(configFor('savable', join(dir, 'savable')));
    const base = await agent.url();
    const status = await statusWhen(base, (s) => s.stateSave?.lastOkAt !== null);
    expect(status.stateSave).toEqual({ lastOkAt: expect.any(String), lastError: null });
    const metrics = await (await request(`${base}/metrics`)).body.text();
    expect(metrics).toMatch(/^license_agent_state_save_failures_total 0$/m);
    expect(metrics).toMatch(/^license_agent_last_state_save_timestamp_seconds \d+/m);
  });
});
