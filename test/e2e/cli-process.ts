import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

/** The built CLI, as a user runs it (`npm test` builds it first). */
export const CLI = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

export interface RunningCli {
  readonly child: ChildProcess;
  output(): string;
  /** The local API URL, from the `agent started` log line. */
  url(): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    output: () => output,
    url: () => agentUrl(child, () => output),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The local API URL, from the `agent started` log line in the agent's output. */
export async function agentUrl(child: ChildProcess, output: () => string): Promise<string> {
  const match = await outputMatch(child, output, /"url":"(http:\/\/[^"]+)","hardwareId"/);
  return match[1] ?? '';
}

/** Waits until `pattern` matches what the process has written, and returns the match. */
export async function outputMatch(
  child: ChildProcess,
  output: () => string,
  pattern: RegExp,
): Promise<RegExpExecArray> {
  for (let waited = 0; waited < 15_000; waited += 25) {
    const match = pattern.exec(output());
    if (match !== null) return match;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${String(pattern)} in what ${child.spawnargs.join(' ')} wrote:\n${output()}`);
}

/** Runs a CLI command to completion. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env['PATH'], ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export async function getJson(url: string, method: 'GET' | 'POST' | 'DELETE' = 'GET') {
  const response = await request(url, { method });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    contentType: String(response.headers['content-type']),
    text,
    body: text.startsWith('{') ? JSON.parse(text) : null,
  };
}

/** Polls until the agent is ready, returning how long it took. */
export async function waitReady(base: string, timeoutMs = 15_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      if ((await getJson(`${base}/readyz`)).status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the agent never became ready');
}
