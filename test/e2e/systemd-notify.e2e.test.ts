import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxConfigYaml, unreachableServerConfigYaml } from './cli-agent-config.js';
import { startCli, type RunningCli } from './cli-process.js';
import {
  canReceiveNotifications,
  freePort,
  startNotifyReceiver,
  type Notification,
  type NotifyReceiver,
} from './notify-receiver.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The built agent under a stand-in for systemd's notify socket, as a Type=notify unit runs it. */
async function agentUnderSystemd(
  configYaml: (extra: Record<string, unknown>) => string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ cli: RunningCli; notify: NotifyReceiver }> {
  const dir = await mkdtemp(join(tmpdir(), 'ela-notify-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const notify = await startNotifyReceiver(dir, `http://127.0.0.1:${String(port)}/readyz`);
  cleanups.push(() => {
    notify.close();
    return Promise.resolve();
  });
  const config = join(dir, 'agent.yaml');
  await writeFile(config, configYaml({ stateDirectory: join(dir, 'state'), http: { port } }));
  const cli = startCli(['run', '--config', config], { NOTIFY_SOCKET: notify.socket, ...env });
  cleanups.push(() => cli.stop('SIGKILL'));
  return { cli, notify };
}

const says = (field: string, value?: string) => (n: Notification) =>
  value === undefined ? field in n.fields : n.fields[field] === value;

describe.skipIf(!canReceiveNotifications)('the agent under systemd (Type=notify)', () => {
  it('says READY=1 only once /readyz answers, with a status line a person reads', async () => {
    const { notify } = await agentUnderSystemd(sandboxConfigYaml);
    const ready = await notify.next(says('READY', '1'));
    expect(ready.readyz).toBe(200);
    expect(ready.fields['STATUS']).toMatch(
      /^\d+ licences?, \d+ features? active, .*last sync \d\d:\d\d UTC$/,
    );
  });

  it('pings the watchdog when WATCHDOG_USEC asks for it', async () => {
    const { notify } = await agentUnderSystemd(sandboxConfigYaml, { WATCHDOG_USEC: '200000' });
    const first = await notify.next(says('WATCHDOG', '1'));
    await notify.next(says('WATCHDOG', '1'), notify.messages().indexOf(first) + 1);
  });

  it('wraps a SIGHUP reload in RELOADING=1 and READY=1, and says STOPPING=1 on SIGTERM', async () => {
    const { cli, notify } = await agentUnderSystemd(sandboxConfigYaml);
    await notify.next(says('READY', '1'));
    const before = notify.messages().length;
    cli.child.kill('SIGHUP');
    const reloading = await notify.next(says('RELOADING', '1'), before);
    expect(reloading.fields['MONOTONIC_USEC']).toMatch(/^\d+$/);
    const after = notify.messages().indexOf(reloading) + 1;
    const readyAgain = await notify.next(says('READY', '1'), after);
    expect(readyAgain.readyz).toBe(200);

    expect(await cli.stop('SIGTERM')).toBe(0);
    await notify.next(says('STOPPING', '1'));
  });

  it('never says READY=1 while it has neither a saved state nor an answer, and says why', async () => {
    const { cli, notify } = await agentUnderSystemd(unreachableServerConfigYaml);
    const waiting = await notify.next(
      (n) => n.fields['STATUS']?.includes('failed (connection_refused)') === true,
    );
    expect(waiting.fields['STATUS']).toContain('no answer from the licence server yet');
    expect(await cli.stop('SIGTERM')).toBe(0);
    await notify.next(says('STOPPING', '1'));
    expect(notify.messages().filter(says('READY'))).toEqual([]);
  });
});
