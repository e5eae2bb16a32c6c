/** Where a command prints, and the environment it reads: passed in so tests can capture both. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** Exit codes. 78 is sysexits' EX_CONFIG, which the systemd unit tells systemd not to restart on. */
export const EXIT = {
  ok: 0,
  denied: 1,
  error: 2,
  usage: 64,
  config: 78,
} as const;

export function println(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${line}\n`);
}

/** The config file: `--config`, else `$ELA_CONFIG`, else the packaged location. */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env['ELA_CONFIG'] ?? '/etc/edge-license-agent/agent.yaml';
}

/** The local API: `--url`, else `$ELA_URL`, else the default listen address. */
export function agentUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return (flag ?? env['ELA_URL'] ?? 'http://127.0.0.1:7311').replace(/\/+$/, '');
}
