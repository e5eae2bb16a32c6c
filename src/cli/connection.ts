import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentClientOptions } from '../client/agent-client.js';
import type { CONNECTION_OPTIONS, Values } from './command.js';
import { ConfigError } from '../config/config-error.js';
import { localApiAddress, type LocalApiAddress } from '../config/local-api-address.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { exists } from './io.js';

export const DEFAULT_AGENT_URL = 'http://127.0.0.1:7311';

/** The systemd credential the CLI reads the token from when nothing else names a file. */
export const TOKEN_CREDENTIAL = 'local-api-token';

export type ConnectionValues = Values<typeof CONNECTION_OPTIONS>;

export interface Connection {
  readonly client: AgentClientOptions;
  /** Where the agent is asked, for messages: its URL, or `unix:<socket path>`. */
  readonly target: string;
  /** The token's file, when one was read: named when the agent does not accept it. */
  readonly tokenFile: string | null;
}

export type ConnectionChoice =
  | { readonly kind: 'connection'; readonly connection: Connection }
  | { readonly kind: 'wrong'; readonly exit: ExitCode; readonly problem: string };

/**
 * Where and how to ask the running agent: `--socket`, else `--url`, else `--config`, else
 * `$ELA_SOCKET`, else `$ELA_URL`, else `$ELA_CONFIG`, else the default address. The token is
 * only ever read from a file (`--token-file`, `$ELA_TOKEN_FILE`, the config's `http.token`, the
 * systemd credential): a token in argv or the environment would show in `ps` and in /proc to
 * other users.
 */
export async function chooseConnection(
  values: ConnectionValues,
  env: NodeJS.ProcessEnv,
): Promise<ConnectionChoice> {
  if (values.url !== undefined && values.socket !== undefined) {
    return wrong(EXIT.usage, 'give --url or --socket, not both');
  }
  const explicit = values.url !== undefined || values.socket !== undefined;
  const configFile =
    values.config ??
    (explicit || nonEmpty(env['ELA_SOCKET']) !== null || nonEmpty(env['ELA_URL']) !== null
      ? null
      : nonEmpty(env['ELA_CONFIG']));
  const fromConfig = explicit || configFile === null ? null : await addressIn(configFile, env);
  if (fromConfig?.kind === 'wrong') return fromConfig;
  const address = fromConfig?.address ?? null;
  const configToken = address?.token?.kind === 'file' ? address.token.path : null;
  const token =
    address?.token?.kind === 'value'
      ? ({ kind: 'token', token: address.token.value, file: null } as const)
      : await readToken(values['token-file'], env, configToken);
  if (token.kind === 'wrong') return token;
  const tokenOptions = token.token === null ? {} : { token: token.token };
  const socket =
    values.socket ??
    (address !== null
      ? address.socketPath
      : values.url === undefined
        ? nonEmpty(env['ELA_SOCKET'])
        : null);
  if (socket !== null) {
    return connection({ socketPath: socket, ...tokenOptions }, `unix:${socket}`, token.file);
  }
  const url = values.url ?? address?.url ?? nonEmpty(env['ELA_URL']) ?? DEFAULT_AGENT_URL;
  if (!isHttpUrl(url)) {
    return values.url === undefined
      ? wrong(EXIT.config, `$ELA_URL is not an http(s) URL: ${url}`)
      : wrong(EXIT.usage, `--url is not an http(s) URL: ${url}`);
  }
  return connection({ url, ...tokenOptions }, url.replace(/\/+$/, ''), token.file);
}

type TokenRead =
  | { readonly kind: 'token'; readonly token: string | null; readonly file: string | null }
  | { readonly kind: 'wrong'; readonly exit: ExitCode; readonly problem: string };

/** The agent's address from its config file, or why the file gives none. */
async function addressIn(
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<
  { readonly kind: 'address'; readonly address: LocalApiAddress } | ReturnType<typeof wrong>
> {
  try {
    return { kind: 'address', address: await localApiAddress({ path: file, env }) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const first = error.issues[0];
    return wrong(
      EXIT.config,
      `${file}: ${first === undefined ? error.message : `${first.key} ${first.message}`}`,
    );
  }
}

async function readToken(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  configFile: string | null = null,
): Promise<TokenRead> {
  const named = flag ?? nonEmpty(env['ELA_TOKEN_FILE']) ?? configFile;
  const credentials = nonEmpty(env['CREDENTIALS_DIRECTORY']);
  let file = named;
  if (file === null && credentials !== null) {
    const credential = join(credentials, TOKEN_CREDENTIAL);
    // The credential is optional: an agent without http.token needs none.
    if (await exists(credential)) file = credential;
  }
  if (file === null) return { kind: 'token', token: null, file: null };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return wrong(EXIT.config, `cannot read the token file ${file}: ${code}`);
  }
  // Files written by `echo` end in a newline that is no part of the token.
  const token = text.trim();
  if (token === '') return wrong(EXIT.config, `the token file ${file} is empty`);
  return { kind: 'token', token, file };
}

function connection(
  client: AgentClientOptions,
  target: string,
  tokenFile: string | null,
): ConnectionChoice {
  // CLI questions are one-off: no cache, and a deadline for a busy device.
  return {
    kind: 'connection',
    connection: { client: { ...client, cacheMs: 0, timeoutMs: 5_000 }, target, tokenFile },
  };
}

function wrong(exit: ExitCode, problem: string) {
  return { kind: 'wrong', exit, problem } as const;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
