import { describe, expect, it } from 'vitest';
import { nextSyncAt } from '../../../../src/adapters/http-api/status-page/next-sync.js';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

describe('the next sync the page shows', () => {
  it('is the next tick of the schedule, in UTC, plus the splay', () => {
    const next = nextSyncAt('0 */6 * * *', 90_000, at('2026-03-01T13:00:00Z'));
    expect(next?.toISOString()).toBe('2026-03-01T18:01:30.000Z');
  });

  it('is a tick that has passed while its splay delay still runs', () => {
    const next = nextSyncAt('0 */6 * * *', 10 * MINUTE, at('2026-03-01T12:04:00Z'));
    expect(next?.toISOString()).toBe('2026-03-01T12:10:00.000Z');
  });

  it('moves on to the following tick once the splay has run out', () => {
    const next = nextSyncAt('0 */6 * * *', 10 * MINUTE, at('2026-03-01T12:11:00Z'));
    expect(next?.toISOString()).toBe('2026-03-01T18:10:00.000Z');
  });

  it('is unknown for a schedule croner cannot run', () => {
    expect(nextSyncAt('not cron', 0, at('2026-03-01T12:00:00Z'))).toBeNull();
  });
});
