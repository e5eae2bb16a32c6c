import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogFields } from '../../src/agent/ports.js';
import { createReloadMetrics } from '../../src/adapters/metrics/reload-metrics.js';
import { reloadConfig } from '../../src/app/reload.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ela-reload-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BASE = `
licensespring: { baseUrl: sandbox, features: [a] }
stateDirectory: ./state
http: { port: 7311 }
sync: { splaySeconds: 60 }
log: { level: info }
`;

/** A running config from BASE, and a reload against the file rewritten to `next`. */
async function reloadTo(next: string, name: string, base = BASE) {
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, base);
  const running = await loadConfig({ path, env: {} });
  await writeFile(path, next);
  const lines: { level: string; fields: LogFields; message: string }[] = [];
  const line = (level: string) => (fields: LogFields, message: string) => {
    lines.push({ level, fields, message });
  };
  const log = {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: () => log,
  };
  const registry = new Registry();
  const applied: ResolvedConfig[] = [];
  const outcome = await reloadConfig({
    load: () => loadConfig({ path, env: {} }),
    target: {
      running: () => running,
      apply: (config) => {
        applied.push(config);
        return Promise.resolve();
      },
    },
    log,
    metrics: createReloadMetrics(registry),
  });
  const metrics = await registry.metrics();
  return { outcome, applied, lines, metrics };
}

describe('a configuration reload', () => {
  it('applies features, schedule, splay and log level, and names what changed', async () => {
    const { outcome, applied } = await reloadTo(
      BASE.replace('[a]', '[a, b]')
        .replace('splaySeconds: 60', "splaySeconds: 5, schedule: '0 * * * *'")
        .replace('level: info', 'level: debug'),
      'valid',
    );
    expect(outcome).toEqual({
      kind: 'applied',
      changed: ['features', 'log.level', 'sync.schedule', 'sync.splayMs'],
    });
    expect(applied.map((c) => [c.features, c.sync.splayMs, c.log.level])).toEqual([
      [['a', 'b'], 5000, 'debug'],
    ]);
  });

  it('applies a new server URL and new credentials, naming the keys but not the secrets', async () => {
    const server = (url: string, key: string) =>
      BASE.replace(
        'baseUrl: sandbox,',
        `baseUrl: '${url}', auth: { method: hmac, apiKey: { value: ${key} }, sharedKey: { value: s } },`,
      );
    const { outcome, lines } = await reloadTo(
      server('https://eu.example.test/api/v4/', 'new-secret-key'),
      'server',
      server('https://api.example.test/api/v4/', 'old-secret-key'),
    );
    expect(outcome).toEqual({
      kind: 'applied',
      changed: ['upstream.auth.apiKey', 'upstream.baseUrl'],
    });
    expect(JSON.stringify(lines)).not.toContain('secret-key');
  });

  it('refuses an invalid config whole, logs each key, and counts it', async () => {
    const { outcome, applied, lines, metrics } = await reloadTo(
      BASE.replace('splaySeconds: 60', 'splaySeconds: -1, jitter: 3'),
      'invalid',
    );
    expect(outcome.kind === 'invalid' ? [...outcome.keys].sort() : outcome).toEqual([
      'sync.jitter',
      'sync.splaySeconds',
    ]);
    expect(applied).toEqual([]);
    expect(
      lines
        .filter((l) => l.level === 'error')
        .map((l) => l.fields['key'])
        .sort(),
    ).toEqual(['sync.jitter', 'sync.splaySeconds']);
    expect(metrics).toContain('license_agent_config_reload_failures_total{reason="invalid"} 1');
    expect(metrics).toContain(
      'license_agent_config_reload_failures_total{reason="restart_required"} 0',
    );
  });

  it.each([
    ['http.port', 'http: { port: 7311 }', 'http: { port: 7400 }'],
    ['http.host', 'http: { port: 7311 }', "http: { port: 7311, host: '127.0.0.2' }"],
    ['stateDirectory', 'stateDirectory: ./state', 'stateDirectory: ./elsewhere'],
    [
      'device.hardwareId',
      'log: { level: info }',
      'log: { level: info }\ndevice: { hardwareId: x }',
    ],
    ['log.format', 'log: { level: info }', 'log: { level: info, format: pretty }'],
    [
      'licensespring.baseUrl',
      'baseUrl: sandbox,',
      "baseUrl: 'https://api.licensespring.com/api/v4/', auth: { method: hmac, apiKey: { value: k }, sharedKey: { value: s } },",
    ],
  ])(
    'refuses a change of %s, which needs a restart, and applies none of the rest',
    async (key, from, to) => {
      const { outcome, applied, lines, metrics } = await reloadTo(
        BASE.replace(from, to).replace('[a]', '[a, b]'),
        `restart-${key}`,
      );
      expect(outcome).toEqual({ kind: 'restart-required', keys: [key] });
      expect(applied).toEqual([]);
      const refusal = lines.find((l) => l.level === 'warn');
      expect(refusal?.fields['key']).toBe(key);
      expect(refusal?.message).toContain(`${key} changed`);
      expect(metrics).toContain(
        'license_agent_config_reload_failures_total{reason="restart_required"} 1',
      );
    },
  );

  it('keeps the running config when the new one cannot be put in force, and counts it', async () => {
    const path = join(dir, 'unapplied.yaml');
    await writeFile(path, BASE);
    const running = await loadConfig({ path, env: {} });
    const registry = new Registry();
    const silent = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      child: () => silent,
    };
    const outcome = await reloadConfig({
      load: () => loadConfig({ path, env: {} }),
      target: {
        running: () => running,
        apply: () => Promise.reject(Object.assign(new Error('no port'), { code: 'listen_failed' })),
      },
      log: silent,
      metrics: createReloadMetrics(registry),
    });
    expect(outcome).toEqual({ kind: 'not-applied', code: 'listen_failed' });
    expect(await registry.metrics()).toContain(
      'license_agent_config_reload_failures_total{reason="not_applied"} 1',
    );
  });
});
