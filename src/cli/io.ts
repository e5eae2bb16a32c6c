import { access } from 'node:fs/promises';
/** Where a command prints, and the environment it reads: passed in so tests can capture both. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

export function println(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${line}\n`);
}

/** One line on stderr, in the CLI's voice. */
export function complain(io: CliIo, line: string): void {
  println(io.stderr, `edge-license-agent: ${line}`);
}

export const DEFAULT_CONFIG_PATH = '/etc/edge-license-agent/agent.yaml';

export interface ConfigChoice {
  readonly path: string;
  /** `flag` and `env` are asked for: a missing file is an error. `default` may be absent. */
  readonly from: 'flag' | 'env' | 'default';
}

/** The config file: `--config`, else `$ELA_CONFIG`, else the packaged location. */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv): ConfigChoice {
  if (flag !== undefined) return { path: flag, from: 'flag' };
  const fromEnv = env['ELA_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return { path: fromEnv, from: 'env' };
  return { path: DEFAULT_CONFIG_PATH, from: 'default' };
}

/** Whether something is at the path; a file the CLI may read only if it is there. */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
