import { commandName, HELP_OPTION, type Command, type OptionSpec } from './command.js';

const PROGRAM = 'edge-license-agent';

/** `status [options]`, `check <feature> [options]`, `help [command...]`. */
export function synopsis(command: Command): string {
  const words = [...command.path];
  for (const p of command.positionals) {
    const name = p.many === true ? `${p.name}...` : p.name;
    words.push(p.required ? `<${name}>` : `[${name}]`);
  }
  if (Object.keys(command.options).length > 0) words.push('[options]');
  return words.join(' ');
}

/** Every command from the registry, one line each: what `edge-license-agent` alone prints. */
export function generalUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => synopsis(c).length)) + 2;
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'commands:',
    ...commandLines(commands, width),
    '',
    `  -v, --version${' '.repeat(Math.max(width - 13, 1))}print the version`,
    '',
    `\`${PROGRAM} <command> --help\` or \`${PROGRAM} help <command>\` shows a command's options.`,
  ].join('\n');
}

/**
 * The commands of a group (`lem`, `fleet`, `config`): what `edge-license-agent lem` alone prints,
 * rather than every command the program has.
 */
export function groupUsage(commands: readonly Command[], group: string): string {
  const members = commands.filter((c) => c.path.length > 1 && c.path[0] === group);
  const width = Math.max(...members.map((c) => synopsis(c).length)) + 2;
  return [
    `usage: ${PROGRAM} ${group} <command> [options]`,
    '',
    'commands:',
    ...commandLines(members, width),
    '',
    `\`${PROGRAM} ${group} <command> --help\` shows a command's options.`,
  ].join('\n');
}

function commandLines(commands: readonly Command[], width: number): string[] {
  return commands.map((c) => `  ${synopsis(c).padEnd(width)}${c.summary}`);
}

/** The usage line and the options: printed after a mistake on the command line. */
export function commandUsage(command: Command): string {
  const options = Object.entries<OptionSpec>({ ...command.options, ...HELP_OPTION }).map(
    ([name, spec]) => {
      const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
      const many = spec.multiple === true ? '...' : '';
      const arg = spec.arg === undefined ? '' : ` ${spec.arg}${many}`;
      return [`${short}--${name}${arg}`, spec.text] as const;
    },
  );
  const width = Math.max(...options.map(([flags]) => flags.length)) + 2;
  return [
    `usage: ${PROGRAM} ${synopsis(command)}`,
    '',
    'options:',
    ...options.map(([flags, text]) => `  ${flags.padEnd(width)}${text}`),
  ].join('\n');
}

/** `CMD --help`: what it does, its usage and options, then what it prints and how it exits. */
export function commandHelp(command: Command): string {
  return [
    `${PROGRAM} ${commandName(command)}: ${command.summary}`,
    '',
    commandUsage(command),
    '',
    command.help.trim(),
  ].join('\n');
}

export type Found =
  | { readonly kind: 'found'; readonly command: Command; readonly rest: readonly string[] }
  /** A group's name alone (`lem`): its commands are listed. */
  | { readonly kind: 'group'; readonly group: string }
  /** Nothing matches; `group` when the first word names a group (`lem frob`). */
  | { readonly kind: 'unknown'; readonly words: string; readonly group: string | null };

/** The command the leading words name; the longest path wins (`config validate`). */
export function findCommand(commands: readonly Command[], argv: readonly string[]): Found {
  let best: Command | null = null;
  for (const command of commands) {
    const named = command.path.every((word, i) => argv[i] === word);
    if (named && command.path.length > (best?.path.length ?? 0)) best = command;
  }
  if (best !== null) return { kind: 'found', command: best, rest: argv.slice(best.path.length) };
  // `config frob`: show both words, so the mistake is recognisable.
  const group = commands.some((c) => c.path.length > 1 && c.path[0] === argv[0]);
  if (group && (argv.length === 1 || argv[1]?.startsWith('-') === true))
    return { kind: 'group', group: argv[0] ?? '' };
  return {
    kind: 'unknown',
    words: argv.slice(0, group ? 2 : 1).join(' '),
    group: group ? (argv[0] ?? null) : null,
  };
}
