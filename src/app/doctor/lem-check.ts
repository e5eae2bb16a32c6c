import type { Logger } from '../../agent/ports.js';
import type { LemSettings } from '../../config/resolved-config.js';
import type { LemOutcome } from '../../domain/lem.js';
import { connectLem } from '../lem-upstream.js';
import { fail, pass, skip, warn, type CheckResult } from './doctor-check.js';

/**
 * One call to LEM's pool (`device-license-pool/stats`) with the configured token and TLS choice:
 * the client's own message says what to fix (token, permission, project, certificate).
 */
export async function lemCheck(
  lem: LemSettings | null,
  deviceMac: string | null,
  log: Logger,
): Promise<CheckResult> {
  const id = 'lem';
  if (lem === null) return skip(id, 'no lem section configured');
  const connected = await connectLem(lem, deviceMac, log);
  try {
    const stats = await connected.api.poolStats(AbortSignal.timeout(30_000));
    if (stats.kind !== 'ok') {
      return fail(id, `${connected.baseUrl}: ${stats.kind}`, lemMessage(stats));
    }
    const detail = `${connected.baseUrl} project ${connected.projectId}: pool answered`;
    if (connected.kind === 'sandbox') {
      return warn(
        id,
        `${detail} (the built-in LEM sandbox)`,
        'set lem.baseUrl, lem.projectId and lem.token for a real LEM',
      );
    }
    if (lem.upstream.kind === 'lem' && lem.upstream.tls.kind === 'insecure') {
      return warn(
        id,
        `${detail}, certificate not verified`,
        'give lem.tls.caFile or lem.tls.sha256Fingerprint instead of insecureSkipVerify',
      );
    }
    return pass(id, detail);
  } finally {
    await connected.close();
  }
}

function lemMessage(outcome: Exclude<LemOutcome<unknown>, { kind: 'ok' }>): string {
  return outcome.kind === 'malformed'
    ? `LEM answered something that is not its API (${outcome.detail}): is lem.baseUrl LEM?`
    : outcome.message;
}
