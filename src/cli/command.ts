import type { CliIo } from './io.js';

/** One option of a command: parsed by node:util parseArgs, shown by `--help`. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's name in the help, for string options: `URL`, `FILE`. */
  readonly arg?: string;
  /** A string option that may be given again and again (`--device A --device B`): a list. */
  readonly multiple?: boolean;
  readonly text: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The values parsed for a command's options; an option not given is absent. */
export type Values<O extends OptionSpecs> = {
  readonly [K in keyof O]?: O[K] extends { readonly multiple: true }
    ? readonly string[]
    : O[K]['type'] extends 'string'
      ? string
      : boolean;
};

export interface Positional {
  readonly name: string;
  readonly required: boolean;
  /** Takes every remaining argument (only the last one may). */
  readonly many?: boolean;
}

export interface CommandArgs<O extends OptionSpecs> {
  readonly values: Values<O>;
  readonly positionals: readonly string[];
}

/**
 * A command as the dispatcher and the help know it. The metadata is all the registry loads; `run`
 * imports the command's work when it is chosen, so `check` in a shell script does not load the
 * agent, and `--help` loads nothing.
 */
export interface Command<O extends OptionSpecs = OptionSpecs> {
  /** The words that name it: `['status']`, `['config', 'validate']`. */
  readonly path: readonly string[];
  /** One line for the general usage. */
  readonly summary: string;
  readonly positionals: readonly Positional[];
  readonly options: O;
  /** The rest of `CMD --help`, after the usage and the options: what it prints, how it exits. */
  readonly help: string;
  /**
   * The exit code of a failure nobody expected (a bug). Default 2, `check`'s contract with shell
   * scripts; `run` says 70 (EX_SOFTWARE), for the service manager.
   */
  readonly unexpectedExit?: number;
  // A method, not a property: a Command<O> then stands in the registry's list of Command.
  run(args: CommandArgs<O>, io: CliIo): Promise<number>;
}

/** Every command answers `--help`; the dispatcher handles it before the command runs. */
export const HELP_OPTION = {
  help: { type: 'boolean', short: 'h', text: "print this command's help" },
} as const satisfies OptionSpecs;

/** Options of every command that talks to a running agent. */
export const CONNECTION_OPTIONS = {
  url: {
    type: 'string',
    arg: 'URL',
    text: "the agent's local API (default: $ELA_URL, else http://127.0.0.1:7311)",
  },
  socket: {
    type: 'string',
    arg: 'PATH',
    text: "the agent's Unix socket (http.socket.path) instead of TCP (default: $ELA_SOCKET)",
  },
  'token-file': {
    type: 'string',
    arg: 'FILE',
    text: 'read the bearer token (http.token) from FILE (default: $ELA_TOKEN_FILE, else $CREDENTIALS_DIRECTORY/local-api-token when it exists)',
  },
} as const satisfies OptionSpecs;

export const JSON_OPTION = {
  json: { type: 'boolean', text: 'print the answer as JSON' },
} as const satisfies OptionSpecs;

/** The command's name as typed: `config validate`. */
export function commandName(command: Command): string {
  return command.path.join(' ');
}
