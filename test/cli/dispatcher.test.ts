import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import type { Command } from '../../src/cli/command.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { COMMANDS } from '../../src/cli/registry.js';
import { capturedIo } from './captured-io.js';

async function cli(argv: string[], commands?: readonly Command[]) {
  const io = capturedIo();
  const code = await runCli(argv, io, commands);
  return { code, out: io.out(), err: io.err() };
}

/** A command that records what it was run with, so a test sees what the dispatcher parsed. */
function recorder() {
  const calls: { values: unknown; positionals: readonly string[] }[] = [];
  const command: Command = {
    path: ['probe', 'deep'],
    summary: 'records its arguments',
    positionals: [{ name: 'thing', required: true }],
    options: {
      level: { type: 'string', arg: 'N', text: 'a level' },
      loud: { type: 'boolean', text: 'be loud' },
    },
    help: 'Probe help body.',
    run: (args) => {
      calls.push(args);
      return Promise.resolve(7);
    },
  };
  return { command, calls };
}

describe('the general usage', () => {
  it('lists every registered command, by its whole path', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(EXIT.ok);
    const lines = out.split('\n');
    for (const command of COMMANDS) {
      const line = lines.find((l) => l.startsWith(`  ${command.path.join(' ')} `));
      expect(line, command.path.join(' ')).toContain(command.summary);
    }
  });

  it('goes to stderr with exit 64 when no command is given', async () => {
    const { code, out, err } = await cli([]);
    expect(code).toBe(EXIT.usage);
    expect(out).toBe('');
    expect(err).toMatch(/^usage: edge-license-agent <command>/);
  });

  it('`help` alone prints it to stdout', async () => {
    const { code, out } = await cli(['help']);
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/^usage: edge-license-agent <command>/);
  });
});

describe("a command's help", () => {
  it.each(COMMANDS.map((c) => [c.path.join(' ')]))(
    '`%s --help` prints it to stdout, exit 0',
    async (name) => {
      const { code, out, err } = await cli([...name.split(' '), '--help']);
      expect(code).toBe(EXIT.ok);
      expect(err).toBe('');
      expect(out).toMatch(new RegExp(`^edge-license-agent ${name}: `));
      expect(out).toContain(`usage: edge-license-agent ${name}`);
    },
  );

  it('`help config validate`, `-h` and `--help check` print the same as `CMD --help`', async () => {
    expect((await cli(['help', 'config', 'validate'])).out).toBe(
      (await cli(['config', 'validate', '--help'])).out,
    );
    expect((await cli(['status', '-h'])).out).toBe((await cli(['status', '--help'])).out);
    expect((await cli(['--help', 'check'])).out).toBe((await cli(['check', '--help'])).out);
  });

  it('`--help` wins over a mistake on the same line', async () => {
    const { code, out } = await cli(['status', '--frob', '--help']);
    expect(code).toBe(EXIT.ok);
    expect(out).toContain('usage: edge-license-agent status');
  });

  it('lists the command’s own options, and not another command’s', async () => {
    const { out } = await cli(['status', '--help']);
    expect(out).toMatch(/--token-file FILE/);
    // sandbox's own options are not status's.
    expect(out).not.toMatch(/--public-key-out|--port/);
  });

  it('`help` of a command that does not exist is a usage error', async () => {
    const { code, err } = await cli(['help', 'frobnicate']);
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/^edge-license-agent: no such command: frobnicate$/m);
  });
});

describe('the version', () => {
  it.each([['--version'], ['-v'], ['version']])('`%s` prints it, exit 0', async (flag) => {
    const { code, out } = await cli([flag]);
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });
});

describe('mistakes on the command line: exit 64, one line naming the mistake, then the usage', () => {
  it.each([
    [['status', 'now'], 'status: unexpected argument: now', 'status'],
    [['check', 'reporting', 'analytics'], 'check: unexpected argument: analytics', 'check'],
    [['check'], 'check: missing <feature>', 'check'],
    [['status', '--frob'], 'status: unknown option: --frob', 'status'],
    [['status', '-x'], 'status: unknown option: -x', 'status'],
    [['hwid', '--url', 'http://x'], 'hwid: unknown option: --url', 'hwid'],
    [['status', '--url'], 'status: --url needs a value (URL)', 'status'],
    [['status', '--url', '--json'], 'status: --url needs a value (URL)', 'status'],
    [['status', '--json=yes'], 'status: --json takes no value', 'status'],
    [['version', 'extra'], 'version: unexpected argument: extra', 'version'],
    [
      ['config', 'validate', 'a.yaml', 'b.yaml'],
      'config validate: unexpected argument: b.yaml',
      'config validate',
    ],
  ])('%j', async (argv, line, name) => {
    const { code, out, err } = await cli(argv);
    expect(code).toBe(EXIT.usage);
    expect(out).toBe('');
    const [first, second] = err.split('\n');
    expect(first).toBe(`edge-license-agent: ${line}`);
    expect(second).toMatch(new RegExp(`^usage: edge-license-agent ${name}\\b`));
  });

  it.each([
    [['frobnicate'], 'unknown command: frobnicate'],
    [['config', 'frob'], 'unknown command: config frob'],
    [['--url', 'http://x', 'status'], 'the command comes first, then its options: --url'],
  ])('%j', async (argv, line) => {
    const { code, err } = await cli(argv);
    expect(code).toBe(EXIT.usage);
    expect(err.split('\n')[0]).toBe(`edge-license-agent: ${line}`);
    expect(err).toContain('commands:');
  });
});

describe('a group named alone', () => {
  it('lists only its own commands and exits 64: `lem` alone', async () => {
    const { code, out, err } = await cli(['lem']);
    expect(code).toBe(EXIT.usage);
    expect(out).toBe('');
    expect(err.split('\n')[0]).toBe('edge-license-agent: lem: which command?');
    expect(err).toContain('usage: edge-license-agent lem <command> [options]');
    expect(err).toContain('lem stats [options]');
    expect(err).not.toContain('fleet licenses');
  });

  it('lists them on stdout and exits 0 when asked for help: `fleet --help`, `help config`', async () => {
    for (const argv of [
      ['fleet', '--help'],
      ['help', 'config'],
    ]) {
      const { code, out } = await cli(argv);
      expect(code).toBe(EXIT.ok);
      expect(out).toContain(
        `usage: edge-license-agent ${argv.includes('fleet') ? 'fleet' : 'config'} <command>`,
      );
      expect(out).not.toContain('lem stats');
    }
  });

  it("shows the group's commands after an unknown one in it: `lem frob`", async () => {
    const { code, err } = await cli(['lem', 'frob']);
    expect(code).toBe(EXIT.usage);
    expect(err.split('\n')[0]).toBe('edge-license-agent: unknown command: lem frob');
    expect(err).toContain('lem report [options]');
    expect(err).not.toContain('fleet licenses');
  });
});

describe('dispatching', () => {
  it('runs the command the longest path names with its own parsed values, and returns its exit code', async () => {
    const { command, calls } = recorder();
    const code = (await cli(['probe', 'deep', 'x', '--level', '3', '--loud'], [command])).code;
    expect(code).toBe(7);
    expect(calls).toEqual([{ values: { level: '3', loud: true }, positionals: ['x'] }]);
  });

  it('takes `--level=3` and positionals after `--` as given', async () => {
    const { command, calls } = recorder();
    await cli(['probe', 'deep', '--level=3', '--', '--not-an-option'], [command]);
    expect(calls).toEqual([{ values: { level: '3' }, positionals: ['--not-an-option'] }]);
  });

  it('reports a command that throws as a bug, with its stack, and exits 2', async () => {
    const { command } = recorder();
    const failing: Command = { ...command, run: () => Promise.reject(new Error('disk on fire')) };
    const { code, err } = await cli(['probe', 'deep', 'x'], [failing]);
    expect(code).toBe(EXIT.error);
    expect(err.split('\n')[0]).toBe(
      'edge-license-agent: unexpected error (a bug: please report it with what follows)',
    );
    expect(err).toMatch(/^Error: disk on fire$/m);
    // The frame of the test's own file: where the error came from.
    expect(err).toMatch(/dispatcher\.test\.ts:\d+:\d+/);
  });

  it('exits with the code a command names for its bugs: run says 70 for systemd', async () => {
    const { command } = recorder();
    const failing: Command = {
      ...command,
      unexpectedExit: EXIT.software,
      run: () => Promise.reject(new Error('boom')),
    };
    expect((await cli(['probe', 'deep', 'x'], [failing])).code).toBe(70);
    expect(COMMANDS.find((c) => c.path[0] === 'run')?.unexpectedExit).toBe(70);
  });
});

describe('a reader that has gone away', () => {
  it('does not crash the CLI: EPIPE on stdout is dropped and the exit code is the command’s', async () => {
    const closed = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const io = { ...capturedIo(), stdout: closed };
    const code = await runCli(['--version'], io);
    // The error is emitted after the write returns: give it a turn to surface.
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(EXIT.ok);
    expect(closed.listenerCount('error')).toBeGreaterThan(0);
  });
});
