import { describe, expect, it } from 'vitest';
import type { ActivationApi } from '../../src/agent/activation-ports.js';
import { Activator } from '../../src/agent/activator.js';
import type { Observations } from '../../src/domain/observations.js';
import { evidence, license, T0 } from '../domain/license-builders.js';
import { ManualClock, recordingLogger } from './fakes.js';

const KEY = 'ACTI-VATE-TEST-0009';
const answer: Observations = {
  licenses: { kind: 'licenses', licenses: [license()], verifiedAt: T0, evidence },
  featureChecks: new Map(),
};

function activator(api: ActivationApi) {
  const log = recordingLogger();
  const refreshes: number[] = [];
  const subject = new Activator(
    {
      api,
      clock: new ManualClock(T0),
      log,
      hint: (key) => `…${key.slice(-4)}`,
      counted: () => undefined,
      refresh: () => refreshes.push(1),
    },
    [{ product: 'edge-suite', key: KEY }],
    'device-1',
  );
  return { subject, log, refreshes };
}

describe('the activator', () => {
  it('ends quietly when a stop aborts the activation in flight, as the exchange throws then', async () => {
    const stop = new AbortController();
    const api: ActivationApi = {
      activate: (_req, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener(
            'abort',
            () => {
              reject(new Error('aborted'));
            },
            { once: true },
          );
        }),
      deactivate: () => Promise.reject(new Error('not asked')),
    };
    const { subject, log } = activator(api);
    const reviewed = subject.review(answer, stop.signal);
    stop.abort();
    await expect(reviewed).resolves.toBeUndefined();
    expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('asks once per answer, and not again for the same answer', async () => {
    let calls = 0;
    const api: ActivationApi = {
      activate: () => {
        calls++;
        return Promise.resolve({
          kind: 'refused',
          code: 'refused_other',
          upstreamCode: 'license_activation_limit_reached',
          status: 400,
        });
      },
      deactivate: () => Promise.reject(new Error('not asked')),
    };
    const { subject, refreshes } = activator(api);
    await subject.review(answer, new AbortController().signal);
    await subject.review(answer, new AbortController().signal);
    expect(calls).toBe(1);
    expect(refreshes).toEqual([]);
    expect(subject.view()[0]?.state).toMatchObject({
      kind: 'refused',
      code: 'license_activation_limit_reached',
    });
  });
});
