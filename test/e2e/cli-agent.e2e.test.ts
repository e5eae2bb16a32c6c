import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxConfigYaml, unreachableServerConfigYaml } from './cli-agent-config.js';
import { CLI, runCli, startCli, waitReady, type RunningCli } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-cli-agent-'));
const TOKEN = 'cli-e2e-token-7d41c2';
const tokenFile = join(dir, 'api-token');
const socketPath = join(dir, 'agent.sock');
const credentials = join(dir, 'credentials');

const agents: RunningCli[] = [];
/** An agent behind a bearer token on TCP. */
let tcpUrl: string;
/** An agent asked through its Unix socket only. */
let socketAgentUrl: string;
/** An agent whose licence server never answers: it answers, but is never ready. */
let notReadyUrl: string;

function start(name: string, yaml: string): RunningCli {
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, yaml);
  const agent = startCli(['run', '--config', config]);
  agents.push(agent);
  return agent;
}

beforeAll(async () => {
  writeFileSync(tokenFile, `${TOKEN}\n`);
  mkdirSync(credentials);
  writeFileSync(join(credentials, 'local-api-token'), TOKEN);
  const tcp = start(
    'tcp',
    sandboxConfigYaml({
      device: { hardwareId: 'cli-e2e-tcp' },
      stateDirectory: join(dir, 'state-tcp'),
      http: { token: { file: tokenFile } },
    }),
  );
  const socket = start(
    'socket',
    sandboxConfigYaml({
      device: { hardwareId: 'cli-e2e-socket' },
      stateDirectory: join(dir, 'state-socket'),
      http: { socket: { path: socketPath, mode: '0600' } },
    }),
  );
  const lonely = start(
    'lonely',
    unreachableServerConfigYaml({
      device: { hardwareId: 'cli-e2e-lonely' },
      stateDirectory: join(dir, 'state-lonely'),
    }),
  );
  [tcpUrl, socketAgentUrl, notReadyUrl] = await Promise.all([
    tcp.url(),
    socket.url(),
    lonely.url(),
  ]);
  // /readyz is open without the token.
  await Promise.all([waitReady(tcpUrl), waitReady(socketAgentUrl)]);
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the CLI against an agent that wants a token on TCP', () => {
  it('`status --token-file` shows the agent, exit 0', () => {
    const result = runCli(['status', '--url', tcpUrl, '--token-file', tokenFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^edge-license-agent \S+ +ready$/m);
    expect(result.stdout).toContain('cli-e2e-tcp');
    expect(result.stdout).toMatch(/reporting\s+yes\s+active/);
  });

  it('`status` without a token says how to give one, in one line, exit 2', () => {
    const result = runCli(['status', '--url', tcpUrl]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `edge-license-agent: the agent at ${tcpUrl} wants a token: --token-file FILE (or $ELA_TOKEN_FILE) with its http.token\n`,
    );
  });

  it('`check` reads the token from $ELA_TOKEN_FILE: exit 0 allowed, 1 denied', () => {
    const env = { ELA_URL: tcpUrl, ELA_TOKEN_FILE: tokenFile };
    const allowed = runCli(['check', 'reporting'], env);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^reporting: allowed \(active, licensed/);
    expect(runCli(['check', 'legacy-export'], env).code).toBe(1);
  });

  it('`check` reads the token from the systemd credential local-api-token', () => {
    const result = runCli(['check', 'reporting', '--url', tcpUrl], {
      CREDENTIALS_DIRECTORY: credentials,
    });
    expect(result.code).toBe(0);
  });

  it('`refresh` syncs and prints the report, exit 0; asked again at once it is turned away, exit 2', () => {
    const first = runCli(['refresh', '--url', tcpUrl, '--token-file', tokenFile]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^sync ok at \d{4}-\d\d-\d\dT\S+ \(device_licenses: genuine\)\n$/);
    const again = runCli(['refresh', '--url', tcpUrl, '--token-file', tokenFile]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^edge-license-agent: the agent at \S+ refused the refresh \(HTTP 429 rate_limited\): it synced moments ago; try again in \d+ s\n$/,
    );
  });
});

describe('the CLI against an agent on its Unix socket', () => {
  it('`status --socket` shows the agent, exit 0', () => {
    const result = runCli(['status', '--socket', socketPath]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cli-e2e-socket');
  });

  it('`check` and `refresh` find the socket in $ELA_SOCKET', () => {
    const env = { ELA_SOCKET: socketPath };
    expect(runCli(['check', 'reporting'], env).code).toBe(0);
    expect(runCli(['check', 'never-heard-of-it'], env).code).toBe(1);
    const refresh = runCli(['refresh', '--json'], env);
    expect(refresh.code).toBe(0);
    expect(JSON.parse(refresh.stdout)).toMatchObject({ result: 'ok', deviceLicenses: 'genuine' });
  });

  it('a socket path where nothing listens is named, exit 2', () => {
    const result = runCli(['status', '--socket', join(dir, 'nobody.sock')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot reach the agent at unix:\S+nobody\.sock: no such socket/);
  });
});

describe('the CLI against an agent that is not ready', () => {
  it('`status` shows it, exit 1', () => {
    const result = runCli(['status', '--url', notReadyUrl]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/NOT READY/);
    expect(result.stdout).toContain('cli-e2e-lonely');
  });

  it('`refresh` prints the failed sync, exit 1', () => {
    const result = runCli(['refresh', '--url', notReadyUrl]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^sync failed at \S+ \(device_licenses: .+\)\n$/);
  });

  it('`check` gets the fail-closed answer, exit 1', () => {
    const result = runCli(['check', 'reporting', '--url', notReadyUrl]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^reporting: denied \(unknown, no_genuine_answer, fail-closed\)/);
  });
});

describe('output into a pipe whose reader has gone', () => {
  it('`status | (reader that closes at once)` exits with status’s code and prints no stack', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'status', '--url', tcpUrl, '--token-file', tokenFile],
      { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Closed before the CLI has even loaded: every line it writes meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('the CLI finding the agent from its config file', () => {
  it('`check --config` asks the socket the agent config names', () => {
    const result = runCli(['check', 'reporting', '--config', join(dir, 'socket.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^reporting: allowed/);
  });

  it('`status` finds the port and the token file in $ELA_CONFIG', () => {
    // The agent listens on a port it chose (port 0): a config naming that port, as one would.
    const client = join(dir, 'client.yaml');
    const port = new URL(tcpUrl).port;
    writeFileSync(client, `http: { port: ${port}, token: { file: ${tokenFile} } }\n`);
    const result = runCli(['status'], { ELA_CONFIG: client });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cli-e2e-tcp');
  });

  it('`health` says ok for an agent that answers, ready or not, exit 0', () => {
    const ready = runCli(['health', '--config', join(dir, 'socket.yaml')]);
    expect(ready).toMatchObject({ code: 0, stdout: 'ok: ready\n' });
    const waiting = runCli(['health', '--url', notReadyUrl]);
    expect(waiting).toMatchObject({ code: 0, stdout: 'ok: not ready yet\n' });
  });

  it('`health` fails where nothing answers, exit 2', () => {
    const result = runCli(['health', '--socket', join(dir, 'nobody.sock')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot reach the agent at unix:/);
  });
});
