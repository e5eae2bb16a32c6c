import { parseArgs } from 'node:util';
import {
  HELP_OPTION,
  type Command,
  type CommandArgs,
  type OptionSpecs,
  type Values,
} from './command.js';

export type ParsedCommandLine =
  | { readonly kind: 'args'; readonly args: CommandArgs<OptionSpecs> }
  | { readonly kind: 'help' }
  /** `problem` names what was wrong, in a few words: `unknown option: --frob`. */
  | { readonly kind: 'wrong'; readonly problem: string };

/**
 * A command's arguments, checked against its own options and positionals. parseArgs runs
 * non-strict and the tokens are checked here, so that each mistake gets one short line naming it
 * rather than parseArgs' paragraph; `--help` anywhere wins over any mistake.
 */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedCommandLine {
  const specs: OptionSpecs = { ...command.options, ...HELP_OPTION };
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  let problem: string | null = null;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (token.name === 'help') return { kind: 'help' };
    const spec = specs[token.name];
    problem ??= optionProblem(spec, token);
    if (spec?.multiple === true) {
      const list = values[token.name];
      values[token.name] = [...(Array.isArray(list) ? list : []), token.value ?? ''];
    } else if (spec !== undefined) values[token.name] = token.value ?? true;
  }
  if (problem !== null) return { kind: 'wrong', problem };
  const positionalProblem = checkPositionals(command, positionals);
  if (positionalProblem !== null) return { kind: 'wrong', problem: positionalProblem };
  // Each value has its option's type: checked token by token above.
  return { kind: 'args', args: { values: values as Values<OptionSpecs>, positionals } };
}

interface OptionToken {
  readonly rawName: string;
  readonly value?: string | undefined;
  readonly inlineValue?: boolean | undefined;
}

function optionProblem(spec: OptionSpecs[string] | undefined, token: OptionToken): string | null {
  if (spec === undefined) return `unknown option: ${token.rawName}`;
  if (spec.type === 'boolean') {
    return token.value === undefined ? null : `${token.rawName} takes no value`;
  }
  // Non-strict parseArgs takes `--url --json` as a URL of "--json": a forgotten value, really.
  const forgotten =
    token.value === undefined ||
    (token.inlineValue !== true && token.value.startsWith('-') && token.value !== '-');
  return forgotten
    ? `${token.rawName} needs a value${spec.arg === undefined ? '' : ` (${spec.arg})`}`
    : null;
}

function checkPositionals(command: Command, given: readonly string[]): string | null {
  const expected = command.positionals;
  const missing = expected.slice(given.length).find((p) => p.required);
  if (missing !== undefined) return `missing <${missing.name}>`;
  const takesMany = expected.at(-1)?.many === true;
  const extra = given[expected.length];
  if (!takesMany && extra !== undefined) return `unexpected argument: ${extra}`;
  return null;
}
