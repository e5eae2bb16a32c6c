import { ignoreClosedReader } from './broken-pipe.js';
import { commandName, type Command } from './command.js';
import { EXIT } from './exit-codes.js';
import { complain, println, type CliIo } from './io.js';
import { parseCommandArgs } from './parse-command-args.js';
import { COMMANDS } from './registry.js';
import { describeUnexpected } from './unexpected-error.js';
import { commandHelp, commandUsage, findCommand, generalUsage, groupUsage } from './usage.js';

const VERSION_FLAGS = new Set(['--version', '-v']);
const HELP_FLAGS = new Set(['--help', '-h']);

/**
 * Finds the command the leading words name, checks its arguments against its own options, runs
 * it, and returns its exit code. Never throws: a failure nobody expected is reported once, with
 * its stack mapped to the TypeScript sources so that a report from a device says where.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  ignoreClosedReader(io.stdout);
  ignoreClosedReader(io.stderr);
  const [first] = argv;
  if (first === undefined) {
    println(io.stderr, generalUsage(commands));
    return EXIT.usage;
  }
  // `--help status` and `--version` are the top level's own spellings of `help status`, `version`.
  const words = HELP_FLAGS.has(first)
    ? ['help', ...argv.slice(1)]
    : VERSION_FLAGS.has(first)
      ? ['version', ...argv.slice(1)]
      : argv;
  if (words[0]?.startsWith('-') === true) {
    complain(io, `the command comes first, then its options: ${first}`);
    println(io.stderr, generalUsage(commands));
    return EXIT.usage;
  }
  const found = findCommand(commands, words);
  if (found.kind === 'group') {
    const help = words.slice(1).some((w) => HELP_FLAGS.has(w));
    if (!help) complain(io, `${found.group}: which command?`);
    println(help ? io.stdout : io.stderr, groupUsage(commands, found.group));
    return help ? EXIT.ok : EXIT.usage;
  }
  if (found.kind === 'unknown') {
    complain(io, `unknown command: ${found.words}`);
    println(
      io.stderr,
      found.group === null ? generalUsage(commands) : groupUsage(commands, found.group),
    );
    return EXIT.usage;
  }
  const { command } = found;
  const parsed = parseCommandArgs(command, found.rest);
  switch (parsed.kind) {
    case 'help':
      println(io.stdout, commandHelp(command));
      return EXIT.ok;
    case 'wrong':
      complain(io, `${commandName(command)}: ${parsed.problem}`);
      println(io.stderr, commandUsage(command));
      return EXIT.usage;
    case 'args':
      try {
        return await command.run(parsed.args, io);
      } catch (error) {
        complain(io, `unexpected error (a bug: please report it with what follows)`);
        println(io.stderr, describeUnexpected(error));
        return command.unexpectedExit ?? EXIT.error;
      }
    default: {
      const never: never = parsed;
      return never;
    }
  }
}
