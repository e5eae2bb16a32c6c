import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, startCli, waitReady, type RunningCli } from './cli-process.js';

let agent: RunningCli | undefined;
afterAll(async () => {
  await agent?.stop();
});

describe('`npm start` on a fresh clone', () => {
  it('runs the example config against the built-in sandbox and serves its licences', async () => {
    // What `npm start` runs, on a free port and a throw-away state directory.
    agent = startCli(['run', '--config', 'config/agent.example.yaml'], {
      ELA_HTTP__PORT: '0',
      ELA_STATE_DIRECTORY: mkdtempSync(join(tmpdir(), 'ela-start-')),
    });
    const base = await agent.url();
    await waitReady(base);
    const { body } = await getJson(`${base}/v1/status`);
    expect(body.upstream.kind).toBe('sandbox');
    expect(body.licenses.length).toBeGreaterThan(0);
    expect(body.features.some((f: any) => f.allowed)).toBe(true);
    expect(agent.output()).toContain('using the built-in sandbox');
    // A sandboxed device stands out in the fleet's Prometheus.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^license_agent_upstream_info\{kind="sandbox"\} 1$/m);
  });
});
