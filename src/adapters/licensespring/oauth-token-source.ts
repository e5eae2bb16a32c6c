import type { Dispatcher } from 'undici';
import type { Clock } from '../../agent/ports.js';
import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import { exchange } from '../http-client/exchange.js';
import { retryAfterMs } from './vendor-date.js';

type Token =
  | { readonly kind: 'ok'; readonly accessToken: string }
  | { readonly kind: 'failed'; readonly outcome: UpstreamOutcome<never> };

/**
 * OAuth client-credentials tokens, fetched once and shared by concurrent requests, renewed before
 * they expire: at 80% of their life, so a token never lapses in the middle of a sync.
 */
export class OAuthTokenSource {
  private cached: { accessToken: string; renewAt: number } | null = null;
  private inFlight: Promise<Token> | null = null;

  constructor(
    private readonly options: {
      clientId: string;
      clientSecret: string;
      tokenUrl: string;
      timeoutMs: number;
    },
    private readonly clock: Clock,
    private readonly dispatcher: Dispatcher,
  ) {}

  token(signal: AbortSignal): Promise<Token> {
    if (this.cached !== null && this.clock.now() < this.cached.renewAt) {
      return Promise.resolve({ kind: 'ok', accessToken: this.cached.accessToken });
    }
    this.inFlight ??= this.fetchToken(signal).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  invalidate(): void {
    this.cached = null;
  }

  private async fetchToken(signal: AbortSignal): Promise<Token> {
    const requestedAt = this.clock.now();
    const answer = await exchange(
      {
        url: this.options.tokenUrl,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
        }).toString(),
        dispatcher: this.dispatcher,
        timeoutMs: this.options.timeoutMs,
        maxBodyBytes: MAX_TOKEN_BYTES,
      },
      signal,
    );
    if (answer.kind === 'unreachable') {
      return failed({ kind: 'unreachable', cause: answer.cause, status: null, retryAfterMs: null });
    }
    const status = answer.status;
    if (status === 429 || status >= 500) {
      const header = answer.headers['retry-after'];
      return failed({
        kind: 'unreachable',
        cause: status === 429 ? 'rate_limited' : 'server_error',
        status,
        retryAfterMs: retryAfterMs(Array.isArray(header) ? header[0] : header, requestedAt),
      });
    }
    if (status >= 400) {
      return failed({
        kind: 'rejected',
        code: 'unauthorized',
        status,
        message: 'the token endpoint refused the client credentials',
      });
    }
    const body = parseToken(answer.body);
    if (body === null) return failed({ kind: 'not-genuine', reason: 'wrong_shape' });
    this.cached = {
      accessToken: body.accessToken,
      renewAt: requestedAt + body.expiresInSeconds * 800,
    };
    return { kind: 'ok', accessToken: body.accessToken };
  }
}

/** A token answer is a few hundred bytes; a JWT with many claims, a few kilobytes. */
const MAX_TOKEN_BYTES = 64 * 1024;

function failed(outcome: UpstreamOutcome<never>): Token {
  return { kind: 'failed', outcome };
}

function parseToken(text: string): { accessToken: string; expiresInSeconds: number } | null {
  try {
    const body = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') return null;
    const expiresIn =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { accessToken: body.access_token, expiresInSeconds: expiresIn };
  } catch {
    return null;
  }
}
