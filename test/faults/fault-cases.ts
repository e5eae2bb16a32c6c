import type { KeyObject } from 'node:crypto';
import { expect } from 'vitest';
import { ATTEMPTS, TIMEOUT_MS, type FaultAgent } from './agent-harness.js';
import type { Fault, ProxiedRequest } from './fault-proxy.js';
import {
  dateYearsAhead,
  grantSignedBy,
  malformed,
  onDeviceLicenses,
  truncated,
  vendorError,
  withoutSignature,
  withStaleSignature,
  wrongShapeSignedBy,
} from './tampering.js';

const MINUTE = 60_000;

export interface Phase {
  readonly agent: FaultAgent;
  /** The `device_licenses` requests that reached the proxy during the fault. */
  readonly asked: readonly ProxiedRequest[];
  readonly status: Record<string, any>;
}

export interface FaultCase {
  readonly fault: string;
  readonly set: () => Fault;
  /** Where the agent's clock stands during the fault; 0 unless the fault is the clock. */
  readonly clockOffsetMs?: number;
  /** `offline.lastFailure` during the fault; null: the answers stay genuine. */
  readonly lastFailure: string | null;
  /** The outcome label the sync logs, when it differs from `lastFailure`. */
  readonly logged?: string;
  /** How many `device_licenses` requests reach the proxy; null when none can. */
  readonly attempts: number | null;
  readonly also?: (phase: Phase) => void | Promise<void>;
}

const unreachable = (
  fault: string,
  set: () => Fault,
  lastFailure: string,
  extra: Partial<FaultCase> = {},
): FaultCase => ({ fault, set, lastFailure, attempts: ATTEMPTS, ...extra });
const notGenuine = (fault: string, set: () => Fault, lastFailure: string): FaultCase => ({
  fault,
  set,
  lastFailure,
  // An answer that arrived is not asked for again: a retry would not make it genuine.
  attempts: 1,
});

/** Every upstream fault, and what the agent should make of it. */
export function faultCases(keys: {
  readonly sandbox: KeyObject;
  readonly stranger: KeyObject;
}): readonly FaultCase[] {
  return [
    unreachable('connection refused', () => ({ kind: 'refuse' }), 'connection_refused', {
      attempts: null,
    }),
    unreachable('reset mid-body', () => ({ kind: 'reset-mid-body' }), 'connection_reset'),
    unreachable(
      `hang past the ${String(TIMEOUT_MS)} ms timeout`,
      () => ({ kind: 'hang' }),
      'timeout',
    ),
    unreachable('500', () => vendorError(500, 'internal_server_error'), 'server_error'),
    unreachable('502', () => vendorError(502, 'bad_gateway'), 'server_error'),
    unreachable('503', () => vendorError(503, 'service_unavailable'), 'server_error'),
    unreachable(
      '429 with Retry-After: 1',
      () => vendorError(429, 'throttled', { 'retry-after': '1' }),
      'rate_limited',
      {
        also: ({ asked }) => {
          const [first, second] = asked;
          expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
        },
      },
    ),
    notGenuine(
      'malformed JSON',
      () => ({ kind: 'rewrite', rewrite: onDeviceLicenses(malformed) }),
      'malformed_json',
    ),
    notGenuine(
      'a truncated body',
      () => ({ kind: 'rewrite', rewrite: onDeviceLicenses(truncated) }),
      'malformed_json',
    ),
    notGenuine(
      'a correctly signed body of the wrong shape',
      () => ({ kind: 'rewrite', rewrite: onDeviceLicenses(wrongShapeSignedBy(keys.sandbox)) }),
      'wrong_shape',
    ),
    notGenuine(
      'a missing signature',
      () => ({ kind: 'rewrite', rewrite: onDeviceLicenses(withoutSignature) }),
      'missing_signature',
    ),
    notGenuine(
      'a body edited under its old signature',
      () => ({ kind: 'rewrite', rewrite: onDeviceLicenses(withStaleSignature) }),
      'bad_signature',
    ),
    notGenuine(
      'a body signed by another key',
      () => ({ kind: 'rewrite', rewrite: onDeviceLicenses(grantSignedBy(keys.stranger)) }),
      'bad_signature',
    ),
    {
      fault: 'the agent clock 20 minutes behind',
      set: () => ({ kind: 'pass' }),
      clockOffsetMs: -20 * MINUTE,
      lastFailure: 'date_header_diff',
      logged: 'rejected',
      // A rejection is the server's word on the request: asking again would be rejected again.
      attempts: 1,
      also: ({ status }) => {
        expect(status.offline.clockBehindSeconds).toBeGreaterThanOrEqual(19 * 60);
      },
    },
    {
      fault: 'slow (300 ms, within the timeout)',
      set: () => ({ kind: 'slow', delayMs: 300 }),
      lastFailure: null,
      attempts: 1,
    },
    // The Date is not signed, and the vendor itself refuses clocks 15 minutes apart: an answer
    // dated years away is a replay or a broken server, never believed (and never moves time).
    notGenuine(
      'a server Date years ahead',
      () => ({ kind: 'rewrite', rewrite: dateYearsAhead(3) }),
      'untimely_answer',
    ),
  ];
}

export const factOf = (c: FaultCase) =>
  c.lastFailure === null
    ? `${c.fault} is not a fault: active before, still active during, offline_grace_expired 73 h on, active once healed`
    : `${c.fault}: active before, grace during (${c.lastFailure}), offline_grace_expired after, active again once healed`;
