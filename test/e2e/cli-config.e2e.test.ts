import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ela-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the command line', () => {
  it('`config validate` accepts the shipped example', () => {
    const result = runCli(['config', 'validate', 'config/agent.example.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/valid \(upstream: the built-in sandbox/);
  });

  it.each([
    ['bad-port.yaml', 'licensespring: { baseUrl: sandbox }\nhttp: { port: "eighty" }', 'http.port'],
    ['no-upstream.yaml', 'http: { port: 0 }', 'licensespring.baseUrl'],
    [
      'typo.yaml',
      'licensespring: { baseUrl: sandbox }\nsync: { scheduel: "* * * * *" }',
      'sync.scheduel',
    ],
    [
      'no-auth.yaml',
      'licensespring: { baseUrl: "https://api.example.test/api/v4/" }',
      'licensespring.auth',
    ],
  ])(
    '`config validate` refuses %s in one line naming %s, without a stack trace',
    (name, text, key) => {
      const result = runCli(['config', 'validate', file(name, text)]);
      expect(result.code).toBe(78);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(key);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe('');
    },
  );

  it('`run` refuses a bad config the same way, before starting anything', () => {
    const result = runCli([
      'run',
      '--config',
      file('run-bad.yaml', 'licensespring: { baseUrl: sandbox }\nlog: { level: loud }'),
    ]);
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^edge-license-agent: invalid configuration: log\.level: /);
  });

  it('`run` names the environment variable that broke the config', () => {
    const result = runCli(['run', '--config', 'config/agent.example.yaml'], {
      ELA_SYNC__ATTEMPTS: '0',
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/sync\.attempts: .*\(from env ELA_SYNC__ATTEMPTS\)/);
  });

  it('`run` reports a missing config file in one line', () => {
    const result = runCli(['run', '--config', join(dir, 'absent.yaml')]);
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/cannot read .*absent\.yaml: ENOENT/);
  });

  it('`hwid` prints the configured hardware ID and the facts it saw', () => {
    const config = file(
      'hwid.yaml',
      `device: { hardwareId: fixed-id-42 }\nstateDirectory: ${join(dir, 'state')}\nlicensespring: { baseUrl: sandbox }`,
    );
    const result = runCli(['hwid', '--config', config]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('fixed-id-42');
    expect(result.stdout).toMatch(/^ {2}how: +override \(device\.hardwareId\)$/m);
    expect(result.stdout).toMatch(/machine-id/);
  });

  it('an unknown command is a usage error', () => {
    const result = runCli(['frobnicate']);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/unknown command: frobnicate/);
  });

  it('`version` prints the package version', () => {
    expect(runCli(['version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
