import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { outputMatch, startCli, waitReady, type RunningCli } from './cli-process.js';

const running: RunningCli[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) await cli.stop('SIGKILL');
});

/** The signals a process catches, from the kernel's own record (`SigCgt` in /proc/PID/status). */
function caught(pid: number): Set<number> {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const mask = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0'}`);
  const numbers = new Set<number>();
  for (let n = 1; n <= 64; n++) if ((mask >> BigInt(n - 1)) & 1n) numbers.add(n);
  return numbers;
}

const SIGHUP = 1;

async function startAgent(): Promise<RunningCli> {
  const state = await mkdtemp(join(tmpdir(), 'ela-signals-'));
  const cli = startCli(['run', '--config', 'config/agent.example.yaml'], {
    ELA_HTTP__PORT: '0',
    ELA_STATE_DIRECTORY: state,
  });
  running.push(cli);
  return cli;
}

describe('signals to a running agent', () => {
  it('a SIGUSR1 while the agent starts never opens the inspector', async () => {
    const cli = await startAgent();
    const pid = cli.child.pid ?? 0;
    // Node catches SIGUSR1 natively from its first instant (that is the inspector); SIGHUP is
    // caught only once the agent's own handlers are in, which is before the config is read.
    for (let waited = 0; !caught(pid).has(SIGHUP); waited += 5) {
      if (waited > 10_000) throw new Error(`the agent never handled SIGHUP:\n${cli.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ready = cli.url();
    let sent = 0;
    const pelt = setInterval(() => {
      cli.child.kill('SIGUSR1');
      sent++;
    }, 10);
    try {
      await waitReady(await ready);
    } finally {
      clearInterval(pelt);
    }
    expect(sent).toBeGreaterThan(0);
    expect(cli.output()).not.toContain('Debugger listening');
    expect(cli.child.exitCode).toBeNull();
  });

  it('SIGHUP and SIGUSR2 are answered with a log line, not death; SIGTERM stops it cleanly', async () => {
    const cli = await startAgent();
    await waitReady(await cli.url());
    cli.child.kill('SIGHUP');
    await outputMatch(
      cli.child,
      () => cli.output(),
      /"signal":"SIGHUP".*reloading the configuration/,
    );
    cli.child.kill('SIGUSR2');
    await outputMatch(cli.child, () => cli.output(), /"signal":"SIGUSR2"/);
    expect(cli.child.exitCode).toBeNull();
    expect(await cli.stop('SIGTERM')).toBe(0);
  });
});
