import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-startup-'));
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
});

function config(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, ['licensespring: { baseUrl: sandbox }', ...lines].join('\n'));
  return path;
}

describe('`run` blames what actually failed', () => {
  it('a state directory that cannot be created names the path and stateDirectory, and may be retried', () => {
    // A regular file where a directory should be: root can write anywhere, but not through that.
    writeFileSync(join(dir, 'not-a-directory'), '');
    const stateDirectory = join(dir, 'not-a-directory', 'state');
    const result = runCli([
      'run',
      '--config',
      config('state.yaml', [`stateDirectory: ${stateDirectory}`, 'http: { port: 0 }']),
    ]);
    expect(result.stderr).toMatch(
      new RegExp(
        `^edge-license-agent: stateDirectory \\(${stateDirectory}\\): cannot \\w+ .*: ENOTDIR$`,
        'm',
      ),
    );
    expect(result.stderr).not.toMatch(/listen/);
    expect(result.code).toBe(73);
  });

  it('a port another process holds names http.host / http.port and exits for a retry, not 78', () => {
    const result = runCli([
      'run',
      '--config',
      config('busy.yaml', [
        `stateDirectory: ${join(dir, 'state-busy')}`,
        `http: { port: ${busyPort} }`,
      ]),
    ]);
    expect(result.stderr).toMatch(
      new RegExp(
        `cannot listen on http\\.host / http\\.port \\(127\\.0\\.0\\.1:${busyPort}\\): EADDRINUSE`,
      ),
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(75);
  });

  it('a socket path in a missing directory names http.socket.path', () => {
    const socket = join(dir, 'no-such-dir', 'agent.sock');
    const result = runCli([
      'run',
      '--config',
      config('socket.yaml', [
        `stateDirectory: ${join(dir, 'state-socket')}`,
        `http: { port: 0, socket: { path: ${socket} } }`,
      ]),
    ]);
    // Found when the config loads, before the identity or the state are touched.
    expect(result.stderr).toContain(
      `http.socket.path: ${join(dir, 'no-such-dir')} (the socket's directory) does not exist`,
    );
    expect(result.code).toBe(78);
  });
});
