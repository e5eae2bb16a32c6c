import { Counter, Gauge, type Registry } from 'prom-client';
import type { TrustView } from '../../agent/ports.js';
import type { StateLoadFailure } from '../../agent/state-ports.js';
import { absentUntilSet, clear } from './absent-gauge.js';
import { toSeconds } from './labels.js';

const PREFIX = 'license_agent_';

const STATE_LOAD_FAILURES: Readonly<Record<StateLoadFailure, true>> = {
  unreadable: true,
  corrupt: true,
  unsupported_version: true,
  foreign: true,
  tampered: true,
  bad_signature: true,
  wrong_shape: true,
};

/** Offline grace, clock and state-file metrics. */
export function createTrustMetrics(registry: Registry) {
  const registers = [registry];
  const loadFailures = new Counter({
    name: `${PREFIX}state_load_failures_total`,
    help: 'State files found at start and refused, by reason; the agent then starts as unknown.',
    labelNames: ['reason'],
    registers,
  });
  for (const reason of Object.keys(STATE_LOAD_FAILURES)) loadFailures.inc({ reason }, 0);

  const lastGenuine = absentUntilSet(
    new Gauge({
      name: `${PREFIX}last_genuine_answer_timestamp_seconds`,
      help: 'When the licence server last gave a genuine answer (a grant or a definite refusal).',
      registers,
    }),
  );
  const graceRemaining = absentUntilSet(
    new Gauge({
      name: `${PREFIX}offline_grace_remaining_seconds`,
      help: 'Seconds until entitlements lapse if nothing genuine comes back; 0 once lapsed.',
      registers,
    }),
  );
  const offline = new Gauge({
    name: `${PREFIX}upstream_failing`,
    help: '1 while the latest attempt brought nothing genuine (unreachable, rejected, not genuine).',
    registers,
  });
  const rollbacks = new Counter({
    name: `${PREFIX}clock_rollbacks_total`,
    help: 'Times the wall clock was seen moved back beyond the tolerance.',
    registers,
  });
  const skew = absentUntilSet(
    new Gauge({
      name: `${PREFIX}server_clock_skew_seconds`,
      help: "The licence server's Date minus the local clock, at the last genuine answer.",
      registers,
    }),
  );
  const corrections = new Counter({
    name: `${PREFIX}trusted_time_corrections_total`,
    help: 'Times a genuine answer whose Date agreed with the wall clock brought trusted time back.',
    registers,
  });
  let rollbacksCounted = 0;
  let correctionsCounted = 0;

  return {
    stateLoadFailed(reason: StateLoadFailure): void {
      loadFailures.inc({ reason });
    },
    trust(view: TrustView): void {
      offline.set(view.failing ? 1 : 0);
      if (view.lastGenuineAt === null) clear(lastGenuine);
      else lastGenuine.set(toSeconds(view.lastGenuineAt));
      if (view.graceEndsAt === null) clear(graceRemaining);
      else graceRemaining.set(Math.max(0, toSeconds(view.graceEndsAt - view.trustedNow)));
      if (view.serverSkewMs === null) clear(skew);
      else skew.set(view.serverSkewMs / 1000);
      // The count lives in the saved state and survives restarts; the counter only goes up.
      if (view.clockRollbacks > rollbacksCounted) {
        rollbacks.inc(view.clockRollbacks - rollbacksCounted);
        rollbacksCounted = view.clockRollbacks;
      }
      if (view.timeCorrections > correctionsCounted) {
        corrections.inc(view.timeCorrections - correctionsCounted);
        correctionsCounted = view.timeCorrections;
      }
    },
  };
}
