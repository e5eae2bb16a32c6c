import type { UnreachableCause, UpstreamOutcome } from '../../../src/domain/upstream-outcome.js';

export const genuineOutcome: UpstreamOutcome<unknown> = {
  kind: 'genuine',
  value: null,
  evidence: { body: '[]', signature: null },
  serverDate: null,
};

export function unreachableOutcome(cause: UnreachableCause): UpstreamOutcome<unknown> {
  return { kind: 'unreachable', cause, status: null, retryAfterMs: null };
}
