import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import type { Command } from '../../src/cli/command.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { acknowledged } from '../../src/cli/lem/acknowledged.js';
import { lemFailure, type LemNotOk } from '../../src/cli/lem/lem-failure.js';
import { capturedIo } from './captured-io.js';

const refused = (code: Extract<LemNotOk, { kind: 'refused' }>['code']): LemNotOk => ({
  kind: 'refused',
  status: 0,
  code,
  message: code,
});
const unreachable = (cause: Extract<LemNotOk, { kind: 'unreachable' }>['cause']): LemNotOk => ({
  kind: 'unreachable',
  cause,
  status: null,
  transportCode: null,
  message: cause,
});

describe('how a LEM failure ends a lem command', () => {
  it.each([
    ['a rejected token', refused('lem_token_rejected'), EXIT.noPermission],
    ['a token without the permission', refused('lem_permission_denied'), EXIT.noPermission],
    ['a request LEM calls malformed', refused('lem_bad_request'), EXIT.dataErr],
    ['a project or device LEM does not know', refused('lem_not_found'), EXIT.dataErr],
    ['a status LEM does not document', refused('lem_unexpected_status'), EXIT.protocol],
    ['a refused connection', unreachable('network'), EXIT.unavailable],
    ['a timeout', unreachable('timeout'), EXIT.unavailable],
    ['a 5xx', unreachable('server_error'), EXIT.unavailable],
    ['a 429', unreachable('rate_limited'), EXIT.unavailable],
    ['an untrusted certificate', unreachable('tls'), EXIT.config],
    ['an answer of another shape', { kind: 'malformed', detail: 'stats: x' }, EXIT.protocol],
    [
      'an upload CSV that fails the check',
      { kind: 'invalid-input', code: 'lem_csv_invalid', line: 2, column: 1, message: 'f.csv' },
      EXIT.dataErr,
    ],
  ] satisfies [string, LemNotOk, number][])('%s exits %s', (_what, outcome, exit) => {
    expect(lemFailure(outcome).exit).toBe(exit);
  });

  it("keeps the client's message, and says that nothing was sent for a refused upload", () => {
    expect(lemFailure(refused('lem_token_rejected')).message).toBe('lem_token_rejected');
    expect(
      lemFailure({
        kind: 'invalid-input',
        code: 'lem_csv_invalid',
        line: 2,
        column: 1,
        message: 'f.csv line 2 column 1: the licence key is empty',
      }).message,
    ).toBe('f.csv line 2 column 1: the licence key is empty; nothing was sent');
  });
});

describe("LEM's acknowledgement", () => {
  it('is success only with code S, printed on stdout', () => {
    const io = capturedIo();
    expect(acknowledged({ code: 'S', message: null }, 'uploaded', io)).toBe(EXIT.ok);
    expect(io.out()).toBe('uploaded (LEM acknowledged: S)\n');
  });

  it('with any other code is a failure (76) that shows what LEM said', () => {
    const io = capturedIo();
    const ack = { code: 'E', message: 'duplicate licence key' };
    expect(acknowledged(ack, 'uploaded', io)).toBe(EXIT.protocol);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/did not acknowledge it: code E: duplicate licence key/);
  });
});

describe('a repeatable option', () => {
  const calls: unknown[] = [];
  const probe: Command = {
    path: ['probe'],
    summary: 'records its arguments',
    positionals: [],
    options: {
      device: { type: 'string', arg: 'ID', multiple: true, text: 'a device' },
      out: { type: 'string', arg: 'FILE', text: 'a file' },
    },
    help: 'Probe.',
    run: (args) => {
      calls.push(args.values);
      return Promise.resolve(0);
    },
  };

  it('collects every value in order, where a plain option keeps its last', async () => {
    const argv = ['probe', '--device', 'a', '--out', 'x', '--device=b', '--out', 'y'];
    expect(await runCli(argv, capturedIo(), [probe])).toBe(0);
    expect(calls.at(-1)).toEqual({ device: ['a', 'b'], out: 'y' });
  });

  it('is shown as repeatable in the usage', async () => {
    const io = capturedIo();
    await runCli(['probe', '--help'], io, [probe]);
    expect(io.out()).toMatch(/--device ID\.\.\. +a device/);
  });
});
