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

describe('the container health check', () => {
  const healthcheck = /^HEALTHCHECK [^\n]*\\\n\s+CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]';
  const command = JSON.parse(healthcheck) as string[];

  it('asks the agent through its own `health` command, which follows ELA_CONFIG', () => {
    expect(command).toEqual(['node', `${installDir}/dist/bin/main.js`, 'health']);
  });

  it('names no port of its own, so a changed http.port is followed', () => {
    expect(healthcheck).not.toMatch(/7311|\d{4,5}/);
  });
});

describe('the base image', () => {
  it('is one pinned Node 20 release, the same for build and run', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
    expect(image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
  });
});
