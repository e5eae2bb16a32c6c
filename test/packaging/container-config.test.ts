import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync('Dockerfile', 'utf8');
/** Where the image installs the repository's files: `WORKDIR` of the last stage. */
const installDir = [...dockerfile.matchAll(/^WORKDIR (\S+)$/gm)].at(-1)?.[1] ?? '';
/** The ELA_CONFIG of an ENV instruction (its continuation lines start with spaces; comments with #). */
const configEnv = /^(?:ENV\s+|\s+)ELA_CONFIG=(\S+)/m.exec(dockerfile)?.[1] ?? '';

describe('the container image', () => {
  it('runs a config the operator provides, not one it ships', () => {
    expect(installDir).toBe('/opt/edge-license-agent');
    expect(configEnv).not.toBe('');
    expect(configEnv.startsWith(`${installDir}/`)).toBe(false);
  });
});
