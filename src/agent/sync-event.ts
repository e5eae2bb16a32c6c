import type { GraceEvent } from '../domain/grace.js';
import type { Observations } from '../domain/observations.js';
import type { UpstreamOutcome } from '../domain/upstream-outcome.js';

/**
 * What started a sync, said on its log line so that a person reading the journal knows why the
 * agent called the server then: `boot` (the first sync after start), `schedule` (a cron tick),
 * `refresh` (a local API or CLI refresh), `signal` (SIGUSR1), `reload` (the first sync after a
 * SIGHUP), `safety-net` (a sync the agent starts by itself when the schedule has not run one).
 */
export type SyncTrigger = 'boot' | 'schedule' | 'refresh' | 'signal' | 'reload' | 'safety-net';

/** The grace event a sync ends in, from how its `device_licenses` call ended. */
export function syncEvent(
  deviceLicenses: UpstreamOutcome<unknown>,
  observations: Observations,
): GraceEvent {
  switch (deviceLicenses.kind) {
    case 'genuine':
      return { kind: 'genuine-answer', observations, serverDate: deviceLicenses.serverDate };
    case 'refused':
      return { kind: 'definite-refusal', observations, serverDate: null };
    case 'unreachable':
      return { kind: 'unreachable', reason: deviceLicenses.cause };
    // The server refused the request itself (credentials, clock): it said nothing about the
    // licence, so it is as if it had not been reached; the operator is told through the logs.
    case 'rejected':
      return { kind: 'unreachable', reason: deviceLicenses.code };
    case 'not-genuine':
      return { kind: 'not-genuine', reason: deviceLicenses.reason };
    default: {
      const never: never = deviceLicenses;
      return never;
    }
  }
}
