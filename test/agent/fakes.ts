import type { SystemFacts } from '../../src/agent/identity-ports.js';
import type { AgentMetrics, Clock, LicenseApi, Sleep } from '../../src/agent/ports.js';
import type { FeatureGrant, License } from '../../src/domain/license.js';
import type { UpstreamOutcome } from '../../src/domain/upstream-outcome.js';

/** A clock that moves only when told to; sleeping advances it, so retries take no real time. */
export class ManualClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
  monotonic(): number {
    return this.at;
  }
  readonly sleeps: number[] = [];
  readonly sleep: Sleep = (ms) => {
    this.sleeps.push(ms);
    this.at += ms;
    return Promise.resolve();
  };
}

export type Script<T> = UpstreamOutcome<T>[];

/** A License API that answers from scripts, one outcome per call, and records what it was asked. */
export class ScriptedApi implements LicenseApi {
  readonly calls: string[] = [];
  constructor(
    public devices: Script<readonly License[]>,
    public features: Map<string, Script<FeatureGrant>> = new Map(),
  ) {}
  deviceLicenses(hardwareId: string): Promise<UpstreamOutcome<readonly License[]>> {
    this.calls.push(`device_licenses ${hardwareId}`);
    return Promise.resolve(next(this.devices));
  }
  checkFeature(request: Parameters<LicenseApi['checkFeature']>[0]) {
    this.calls.push(`check_license_feature ${String(request.licenseId)} ${request.feature}`);
    const script = this.features.get(request.feature) ?? [];
    return Promise.resolve(next(script));
  }
}

function next<T>(script: Script<T>): UpstreamOutcome<T> {
  const outcome = script.length > 1 ? script.shift() : script[0];
  if (outcome === undefined) throw new Error('the script ran out');
  return outcome;
}

export function recordingMetrics(): AgentMetrics & { attempts: string[] } {
  const attempts: string[] = [];
  return {
    attempts,
    upstreamAttempt: (endpoint, outcome) => attempts.push(`${endpoint} ${outcome}`),
    upstreamSucceeded: () => undefined,
    syncFinished: () => undefined,
    decided: () => undefined,
    identity: () => undefined,
    stateLoadFailed: () => undefined,
    trust: () => undefined,
  };
}

export const unreachable = (
  cause: 'connection_refused' | 'server_error' | 'rate_limited' = 'connection_refused',
  retryAfterMs: number | null = null,
): UpstreamOutcome<never> => ({ kind: 'unreachable', cause, status: null, retryAfterMs });

export const genuine = <T>(value: T): UpstreamOutcome<T> => ({
  kind: 'genuine',
  value,
  evidence: { body: JSON.stringify(value), signature: null },
  serverDate: null,
});

/** A machine with no facts: the configured hardware ID decides, and nothing of the host is read. */
export const noMachine: SystemFacts = {
  read: () =>
    Promise.resolve({
      components: { mac: null, machineId: null, dmiUuid: null },
      sources: { mac: [], machineId: [], dmiUuid: [] },
      interfaces: [],
    }),
};
