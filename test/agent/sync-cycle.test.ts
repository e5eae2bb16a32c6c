import { describe, expect, it } from 'vitest';
import { runSyncCycle, type SyncSettings } from '../../src/agent/sync-cycle.js';
import { featureCheckKey, noObservations } from '../../src/domain/observations.js';
import type { RefusalCode } from '../../src/domain/refusal.js';
import type { UpstreamOutcome } from '../../src/domain/upstream-outcome.js';
import { feature, license, T0 } from '../domain/license-builders.js';
import { genuine, ManualClock, recordingMetrics, ScriptedApi, unreachable } from './fakes.js';

const settings: SyncSettings = {
  hardwareId: 'hw-1',
  product: 'edge-suite',
  featureChecks: 'auto',
  features: [],
  concurrency: 2,
};
const policy = { attempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

function setup(api: ScriptedApi) {
  const clock = new ManualClock(T0);
  const metrics = recordingMetrics();
  const deps = {
    api,
    clock,
    sleep: clock.sleep,
    random: () => 0.5,
    metrics,
    policy,
  };
  return {
    clock,
    metrics,
    run: (previous = noObservations, s = settings, trustedAt = clock.now()) =>
      runSyncCycle(deps, s, previous, new AbortController().signal, trustedAt),
  };
}

const refusal = (code: RefusalCode, serverDate: number | null = null): UpstreamOutcome<never> => ({
  kind: 'refused',
  code,
  upstreamCode: code,
  status: 400,
  serverDate,
});
/** A genuine answer with the server `Date` it came with. */
const dated = <T>(value: T, serverDate: number): UpstreamOutcome<T> => ({
  kind: 'genuine',
  value,
  evidence: { body: JSON.stringify(value), signature: null },
  serverDate,
});

describe('one sync cycle', () => {
  it('a genuine answer becomes what the agent knows', async () => {
    const { run } = setup(new ScriptedApi([genuine([license()])]));
    const { observations, report } = await run();
    expect(observations.licenses).toMatchObject({ kind: 'licenses', verifiedAt: T0 });
    expect(report.result).toBe('ok');
  });

  it('retries an unreachable server with backoff, then succeeds', async () => {
    const api = new ScriptedApi([unreachable(), unreachable(), genuine([license()])]);
    const { run, clock, metrics } = setup(api);
    const { report } = await run();
    expect(report.result).toBe('ok');
    expect(api.calls).toHaveLength(3);
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(metrics.attempts).toEqual([
      'device_licenses connection_refused',
      'device_licenses connection_refused',
      'device_licenses genuine',
    ]);
  });

  it('stops after the configured attempts and keeps what it knew', async () => {
    const previous = (await setup(new ScriptedApi([genuine([license()])])).run()).observations;
    const api = new ScriptedApi([unreachable()]);
    const { observations, report } = await setup(api).run(previous);
    expect(api.calls).toHaveLength(3);
    expect(report.result).toBe('failed');
    expect(observations).toBe(previous);
  });

  it('waits as long as Retry-After says', async () => {
    const api = new ScriptedApi([unreachable('rate_limited', 20_000), genuine([license()])]);
    const { run, clock } = setup(api);
    await run();
    expect(clock.sleeps).toEqual([20_000]);
  });

  it('does not retry a refusal: the server has answered', async () => {
    const api = new ScriptedApi([
      { kind: 'refused', code: 'device_blacklisted', upstreamCode: 'blacklisted', status: 400 },
    ]);
    const { observations } = await setup(api).run();
    expect(api.calls).toHaveLength(1);
    expect(observations.licenses).toEqual({
      kind: 'refused',
      code: 'device_blacklisted',
      verifiedAt: T0,
    });
  });

  it('does not retry or believe an answer that is not genuine', async () => {
    const api = new ScriptedApi([{ kind: 'not-genuine', reason: 'bad_signature' }]);
    const { observations, report } = await setup(api).run();
    expect(api.calls).toHaveLength(1);
    expect(observations.licenses).toBeNull();
    expect(report.result).toBe('failed');
  });

  it('by default checks only floating and consumption features', async () => {
    const lic = license({
      features: [
        feature({ code: 'plain' }),
        feature({ code: 'seat', floating: true }),
        feature({ code: 'credits', type: 'consumption' }),
      ],
    });
    const grant = (code: string) =>
      genuine({ licenseId: 1, code, expiresAt: null, floatingInUse: null });
    const api = new ScriptedApi(
      [genuine([lic])],
      new Map([
        ['seat', [grant('seat')]],
        ['credits', [grant('credits')]],
      ]),
    );
    const { observations } = await setup(api).run();
    expect(api.calls.slice(1).sort()).toEqual([
      'check_license_feature 1 credits',
      'check_license_feature 1 seat',
    ]);
    expect(observations.featureChecks.get(featureCheckKey(1, 'seat'))?.kind).toBe('granted');
  });

  it('checks the configured features as well as the floating and consumption ones', async () => {
    const lic = license({
      features: [
        feature({ code: 'a' }),
        feature({ code: 'b', floating: true }),
        feature({ code: 'c', type: 'consumption' }),
        feature({ code: 'd' }),
      ],
    });
    const grant = (code: string) =>
      genuine({ licenseId: 1, code, expiresAt: null, floatingInUse: null });
    const api = new ScriptedApi(
      [genuine([lic])],
      new Map(['a', 'b', 'c'].map((code) => [code, [grant(code)]])),
    );
    await setup(api).run(noObservations, { ...settings, features: ['a'] });
    expect(api.calls.slice(1).sort()).toEqual([
      'check_license_feature 1 a',
      'check_license_feature 1 b',
      'check_license_feature 1 c',
    ]);
  });

  it('does not spend calls checking features of a disabled licence', async () => {
    const lic = license({ enabled: false, features: [feature({ floating: true })] });
    const api = new ScriptedApi([genuine([lic])]);
    await setup(api).run(noObservations, { ...settings, featureChecks: 'all' });
    expect(api.calls).toEqual(['device_licenses hw-1']);
  });

  it('a refused feature check is recorded; an unreachable one keeps the previous answer', async () => {
    const lic = license({
      features: [
        feature({ code: 'seat', floating: true }),
        feature({ code: 'meter', floating: true }),
      ],
    });
    const first = new ScriptedApi(
      [genuine([lic])],
      new Map([
        ['seat', [genuine({ licenseId: 1, code: 'seat', expiresAt: null, floatingInUse: 1 })]],
        ['meter', [genuine({ licenseId: 1, code: 'meter', expiresAt: null, floatingInUse: 1 })]],
      ]),
    );
    const before = (await setup(first).run()).observations;
    const second = new ScriptedApi(
      [genuine([lic])],
      new Map([
        [
          'seat',
          [
            {
              kind: 'refused',
              code: 'floating_slots_exhausted',
              upstreamCode: 'floating_not_available',
              status: 400,
            },
          ],
        ],
        ['meter', [unreachable()]],
      ]),
    );
    const { observations, report } = await setup(second).run(before);
    expect(observations.featureChecks.get(featureCheckKey(1, 'seat'))).toMatchObject({
      kind: 'refused',
      code: 'floating_slots_exhausted',
    });
    expect(observations.featureChecks.get(featureCheckKey(1, 'meter'))).toMatchObject({
      kind: 'granted',
    });
    expect(report.result).toBe('partial');
  });

  it('a signed grant of another feature or licence does not answer for the one asked', async () => {
    const lic = license({ features: [feature({ code: 'seat', floating: true })] });
    const refusedSeat = new ScriptedApi(
      [genuine([lic])],
      new Map([['seat', [refusal('floating_slots_exhausted')]]]),
    );
    const before = (await setup(refusedSeat).run()).observations;
    for (const grant of [
      { licenseId: 1, code: 'meter', expiresAt: null, floatingInUse: 1 },
      { licenseId: 2, code: 'seat', expiresAt: null, floatingInUse: 1 },
    ]) {
      const api = new ScriptedApi([genuine([lic])], new Map([['seat', [genuine(grant)]]]));
      const { observations, report } = await setup(api).run(before);
      expect(observations.featureChecks.get(featureCheckKey(1, 'seat'))).toMatchObject({
        kind: 'refused',
      });
      expect(report.featureChecks[0]?.outcome).toEqual({
        kind: 'not-genuine',
        reason: 'foreign_answer',
      });
    }
  });

  it('an answer older (by its server Date) than the one held does not replace it', async () => {
    const refused = new ScriptedApi([refusal('device_blacklisted', T0)]);
    const before = (await setup(refused).run()).observations;
    const replay = new ScriptedApi([dated([license()], T0 - 60_000)]);
    const { observations, report } = await setup(replay).run(before);
    expect(observations).toBe(before);
    expect(report.deviceLicenses).toEqual({ kind: 'not-genuine', reason: 'stale_answer' });
    expect(report.result).toBe('failed');
  });

  it('an answer whose server Date is more than 15 minutes from trusted time is not believed', async () => {
    for (const offset of [-16 * 60_000, 16 * 60_000]) {
      const api = new ScriptedApi([dated([license()], T0 + offset)]);
      const { observations, report } = await setup(api).run();
      expect(observations).toBe(noObservations);
      expect(report.deviceLicenses).toEqual({ kind: 'not-genuine', reason: 'untimely_answer' });
    }
    const within = new ScriptedApi([dated([license()], T0 - 14 * 60_000)]);
    expect((await setup(within).run()).report.result).toBe('ok');
  });

  it('an answer dated by the wall clock is believed while trusted time stands far ahead of it', async () => {
    // A forward jump that came back leaves trusted time ahead; only such an answer can fix it.
    const ahead = T0 + 400 * 24 * 3_600_000;
    const api = new ScriptedApi([dated([license()], T0 + 60_000)]);
    expect((await setup(api).run(noObservations, settings, ahead)).report.result).toBe('ok');
    const replay = new ScriptedApi([dated([license()], T0 - 40 * 24 * 3_600_000)]);
    const { report } = await setup(replay).run(noObservations, settings, ahead);
    expect(report.deviceLicenses).toEqual({ kind: 'not-genuine', reason: 'untimely_answer' });
  });

  it('never puts a licence key in its report', async () => {
    const { report } = await setup(
      new ScriptedApi([genuine([license({ key: 'SECRET-KEY-1234' })])]),
    ).run();
    expect(JSON.stringify(report)).not.toContain('SECRET-KEY-1234');
  });
});
