import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import { exchange, type Exchange } from '../http-client/exchange.js';
import { interpretResponse } from './interpret-response.js';
import type { LicenseApiClientOptions } from './license-api-client.js';
import type { ParseResult } from './parse-device-licenses.js';

/**
 * One License API POST whose answer's content the agent does not read (a release, an activation):
 * authenticated, sent through the shared exchange, and interpreted as every answer is (status,
 * then `LicenseSignature`). `early` may answer for a status before the interpretation does.
 */
export async function signedPost(
  options: LicenseApiClientOptions,
  path: string,
  body: Readonly<Record<string, string | number>>,
  signal: AbortSignal,
  limits: {
    readonly maxBodyBytes: number;
    readonly early?: (
      answer: Extract<Exchange, { kind: 'answered' }>,
    ) => UpstreamOutcome<null> | null;
  },
): Promise<UpstreamOutcome<null>> {
  const auth = await options.authenticator.authorize(signal);
  if (auth.kind === 'failed') return auth.outcome;
  const answer = await exchange(
    {
      url: new URL(path, options.baseUrl),
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', ...auth.headers },
      body: JSON.stringify(body),
      dispatcher: options.dispatcher,
      timeoutMs: options.timeoutMs,
      maxBodyBytes: limits.maxBodyBytes,
    },
    signal,
  );
  if (answer.kind === 'unreachable') {
    return { kind: 'unreachable', cause: answer.cause, status: null, retryAfterMs: null };
  }
  const early = limits.early?.(answer) ?? null;
  if (early !== null) return early;
  const outcome: UpstreamOutcome<null> = interpretResponse(
    { status: answer.status, headers: answer.headers, body: answer.body },
    { publicKey: options.publicKey, now: options.clock.now(), parse: anyJson },
  );
  if (outcome.kind === 'rejected') options.authenticator.invalidate();
  return outcome;
}

/** The vendor documents no body for these answers: any JSON passes; a signed 200 is what counts. */
function anyJson(): ParseResult<null> {
  return { ok: true, value: null };
}
