import { getEventListeners, once, setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { requestDeadline } from '../../../src/adapters/http-client/request-deadline.js';

describe('a request deadline', () => {
  it('aborts with the caller, for the caller’s reason, and is not a timeout', () => {
    const caller = new AbortController();
    const deadline = requestDeadline(caller.signal, 60_000);
    caller.abort(new Error('shutting down'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('shutting down');
    expect(deadline.timedOut()).toBe(false);
    deadline.release();
  });

  it('aborts at once when the caller already has', () => {
    const caller = new AbortController();
    caller.abort();
    const deadline = requestDeadline(caller.signal, 60_000);
    expect(deadline.signal.aborted).toBe(true);
    deadline.release();
  });

  it('aborts by itself when the time is up, and says it timed out', async () => {
    const caller = new AbortController();
    const deadline = requestDeadline(caller.signal, 5);
    await once(deadline.signal, 'abort');
    expect(deadline.timedOut()).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(caller.signal.aborted).toBe(false);
    deadline.release();
  });

  it('once released, neither times out nor hangs on to the caller’s signal', async () => {
    const lifetime = new AbortController();
    // A thousand listeners at once is this test's point, not a leak for Node to warn about.
    setMaxListeners(1_000, lifetime.signal);
    const deadlines = Array.from({ length: 1_000 }, () => requestDeadline(lifetime.signal, 5));
    expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(1_000);
    for (const deadline of deadlines) deadline.release();
    expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(0);
    await sleep(20);
    expect(deadlines.some((d) => d.signal.aborted || d.timedOut())).toBe(false);
    lifetime.abort();
    expect(deadlines.some((d) => d.signal.aborted)).toBe(false);
  });
});
