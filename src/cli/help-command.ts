import { EXIT } from './exit-codes.js';
import { complain, println, type CliIo } from './io.js';
import { COMMANDS } from './registry.js';
import { commandHelp, findCommand, generalUsage, groupUsage } from './usage.js';

/** `help [command...]`: the general usage, or one command's help. */
export function helpCommand(words: readonly string[], io: CliIo): Promise<number> {
  if (words.length === 0) {
    println(io.stdout, generalUsage(COMMANDS));
    return Promise.resolve(EXIT.ok);
  }
  const found = findCommand(COMMANDS, words);
  if (found.kind === 'group') {
    println(io.stdout, groupUsage(COMMANDS, found.group));
    return Promise.resolve(EXIT.ok);
  }
  if (found.kind === 'unknown' || found.rest.length > 0) {
    complain(io, `no such command: ${words.join(' ')}`);
    println(io.stderr, generalUsage(COMMANDS));
    return Promise.resolve(EXIT.usage);
  }
  println(io.stdout, commandHelp(found.command));
  return Promise.resolve(EXIT.ok);
}
