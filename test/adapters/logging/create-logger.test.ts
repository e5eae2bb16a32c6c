import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/logging/create-logger.js';
import { MemoryDestination } from './memory-destination.js';

describe('createLogger', () => {
  it('writes one JSON line per call with the level as a word', () => {
    const destination = new MemoryDestination();
    createLogger({ level: 'info', destination }).warn({ attempt: 2 }, 'retrying');
    expect(destination.lines).toHaveLength(1);
    expect(destination.lines[0]).toMatchObject({ level: 'warn', attempt: 2, msg: 'retrying' });
    expect(typeof destination.lines[0]?.['time']).toBe('number');
  });

  it('drops lines below the configured level', () => {
    const destination = new MemoryDestination();
    const log = createLogger({ level: 'info', destination });
    log.debug({}, 'hidden');
    log.child({ component: 'sync' }).debug({}, 'hidden too');
    log.error({}, 'shown');
    expect(destination.lines.map((line) => line['msg'])).toEqual(['shown']);
  });

  it('logs nothing at level silent', () => {
    const destination = new MemoryDestination();
    createLogger({ level: 'silent', destination }).error({}, 'nope');
    expect(destination.text).toBe('');
  });

  it('puts the base fields on every line, the child bindings on the child lines', () => {
    const destination = new MemoryDestination();
    const log = createLogger({
      level: 'debug',
      destination,
      base: { service: 'edge-license-agent' },
    });
    log.debug({}, 'root');
    log.child({ component: 'http-api' }).info({}, 'child');
    expect(destination.lines).toEqual([
      expect.objectContaining({ service: 'edge-license-agent', msg: 'root' }),
      expect.objectContaining({
        service: 'edge-license-agent',
        component: 'http-api',
        msg: 'child',
      }),
    ]);
    expect(destination.lines[0]).not.toHaveProperty('component');
  });

  it('flushes a destination without a flush of its own by resolving', async () => {
    const destination = new MemoryDestination();
    const log = createLogger({ level: 'info', destination });
    log.info({}, 'before shutdown');
    await expect(log.flush()).resolves.toBeUndefined();
    expect(destination.lines).toHaveLength(1);
  });
});

describe('createLogger flush', () => {
  it('writes out lines a buffering destination held back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logger-'));
    try {
      const file = join(dir, 'agent.log');
      // minLength makes sonic-boom hold lines in memory until flushed, as a busy stdout would.
      const destination = pino.destination({ dest: file, sync: true, minLength: 4096 });
      const log = createLogger({ level: 'info', destination });
      log.info({ licenseId: 1001 }, 'shutting down');
      expect(await readFile(file, 'utf8')).toBe('');
      await log.flush();
      expect(await readFile(file, 'utf8')).toContain('"msg":"shutting down"');
      destination.end();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
