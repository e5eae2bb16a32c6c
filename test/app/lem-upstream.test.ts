import { describe, expect, it } from 'vitest';
import { connectLem } from '../../src/app/lem-upstream.js';
import type { LemSettings } from '../../src/config/resolved-config.js';
import { recordingLogger } from '../agent/fakes.js';

const SETTINGS: Omit<LemSettings, 'upstream'> = {
  deviceId: null,
  schedule: '*/15 * * * *',
  splayMs: 0,
  timeoutMs: 5_000,
};

describe('connecting to LEM', () => {
  it('reaches the built-in sandbox over verified TLS, its pool holding this device', async () => {
    const log = recordingLogger();
    const lem = await connectLem(
      { ...SETTINGS, upstream: { kind: 'sandbox' } },
      '00:1a:2b:3c:4d:5e',
      log,
    );
    try {
      expect(lem.kind).toBe('sandbox');
      expect(lem.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      expect(lem.sandboxCaPem).toContain('BEGIN CERTIFICATE');
      const used = await lem.api.allUsed(new AbortController().signal);
      expect(used.kind).toBe('ok');
      const macs = used.kind === 'ok' ? used.value.map((d) => d.macAddress) : [];
      expect(macs).toContain('00:1a:2b:3c:4d:5e');
      expect(log.entries.map((e) => e.message)).toContainEqual(
        expect.stringContaining('built-in LEM sandbox'),
      );
    } finally {
      await lem.close();
    }
  });

  it('warns at every start that an unverified LEM certificate trusts anyone on the path', async () => {
    const log = recordingLogger();
    const lem = await connectLem(
      {
        ...SETTINGS,
        upstream: {
          kind: 'lem',
          baseUrl: 'https://127.0.0.1:9/',
          projectId: 'p1',
          token: 'secret-token',
          authStyle: 'basic',
          tls: { kind: 'insecure' },
        },
      },
      null,
      log,
    );
    await lem.close();
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: { setting: 'lem.tls.insecureSkipVerify' } }),
    );
    expect(JSON.stringify(log.entries)).not.toContain('secret-token');
  });
});
