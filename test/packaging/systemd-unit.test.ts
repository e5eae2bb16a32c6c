import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ANALYZE = '/usr/bin/systemd-analyze';
const UNIT = 'systemd/edge-license-agent.service';
const available = existsSync(ANALYZE) && existsSync('/usr/bin/node');

describe.skipIf(!available)('the systemd unit', () => {
  it('passes `systemd-analyze verify`', () => {
    const result = spawnSync(ANALYZE, ['verify', UNIT], { encoding: 'utf8' });
    expect(result.stderr + result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('is sandboxed to an exposure of 2.0 or better', () => {
    const result = spawnSync(ANALYZE, ['security', '--offline=true', UNIT], { encoding: 'utf8' });
    const exposure = /Overall exposure level for .*: (\d+\.\d+)/.exec(result.stdout)?.[1];
    expect(Number(exposure)).toBeLessThanOrEqual(2.0);
  });
});
