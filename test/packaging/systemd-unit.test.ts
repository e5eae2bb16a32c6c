import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ANALYZE = '/usr/bin/systemd-analyze';
const UNIT = 'systemd/edge-license-agent.service';
const available = existsSync(ANALYZE) && existsSync('/usr/bin/node');

/** The unit's settings, by name, in order: comments and section headers left out. */
function settings(): [string, string][] {
  return readFileSync(UNIT, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Za-z]+=/.test(line))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    });
}
const values = (name: string) =>
  settings().flatMap(([key, value]) => (key === name ? [value] : []));

describe.skipIf(!available)('the systemd unit', () => {
  it('passes `systemd-analyze verify`', () => {
    const result = spawnSync(ANALYZE, ['verify', UNIT], { encoding: 'utf8' });
    expect(result.stderr + result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('is sandboxed to an exposure of 1.5 or better', () => {
    const result = spawnSync(ANALYZE, ['security', '--offline=true', UNIT], { encoding: 'utf8' });
    const exposure = /Overall exposure level for .*: (\d+\.\d+)/.exec(result.stdout)?.[1];
    expect(Number(exposure)).toBeLessThanOrEqual(1.5);
  });
});

describe('the unit as systemd runs the agent', () => {
  it('waits for READY=1, accepts it from the systemd-notify helper, and feeds a watchdog', () => {
    expect(values('Type')).toEqual(['notify']);
    expect(values('NotifyAccess')).toEqual(['all']);
    expect(values('WatchdogSec')).toHaveLength(1);
  });

  it('reloads with SIGHUP to the main process', () => {
    expect(values('ExecReload')).toEqual(['/bin/kill -HUP $MAINPID']);
  });

  it('starts for HMAC and OAuth users alike: every credential has a default when its file is missing', () => {
    const loaded = values('LoadCredential').map((v) => v.split(':')[0]);
    const defaulted = values('SetCredential').map((v) => v.split(':')[0]);
    expect(loaded).toEqual(
      expect.arrayContaining([
        'licensespring-api-key',
        'licensespring-shared-key',
        'licensespring-client-secret',
      ]),
    );
    expect(defaulted.sort()).toEqual([...loaded].sort());
  });

  it('leaves /proc/sys/kernel/random/boot_id visible (no ProcSubset=pid)', () => {
    expect(values('ProcSubset')).toEqual([]);
  });
});
