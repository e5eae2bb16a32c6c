import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The options a command line gives node, between `node` and the agent's script. */
function nodeOptions(commandLine: string): string[] {
  const words = commandLine.trim().split(/\s+/);
  const node = words.findIndex((word) => word === 'node' || word.endsWith('/node'));
  const script = words.findIndex((word) => word.endsWith('dist/bin/main.js'));
  expect(node, `no node in: ${commandLine}`).toBeGreaterThanOrEqual(0);
  expect(script, `no dist/bin/main.js in: ${commandLine}`).toBeGreaterThan(node);
  return words.slice(node + 1, script);
}

const unit = readFileSync('systemd/edge-license-agent.service', 'utf8');
const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
const dockerfile = readFileSync('Dockerfile', 'utf8');
const entrypoint = (
  JSON.parse(/^ENTRYPOINT (.*)$/m.exec(dockerfile)?.[1] ?? '[]') as string[]
).join(' ');
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } })
  .scripts;

describe('the Node options the agent runs with', () => {
  it('hold the young generation to 2 MiB semi-spaces under systemd', () => {
    expect(nodeOptions(execStart)).toContain('--max-semi-space-size=2');
  });

  it('are the same for npm start and the container image as for the systemd unit', () => {
    expect(nodeOptions(scripts.start)).toEqual(nodeOptions(execStart));
    expect(nodeOptions(entrypoint)).toEqual(nodeOptions(execStart));
  });
});
