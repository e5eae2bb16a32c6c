import type { Dispatcher } from 'undici';
import type { Clock } from '../../agent/ports.js';
import type { UpstreamOutcome } from '../../domain/upstream-outcome.js';
import { OAuthTokenSource } from './oauth-token-source.js';
import { hmacAuthorization } from './request-signing.js';

export type Authorization =
  | { readonly kind: 'ok'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'failed'; readonly outcome: UpstreamOutcome<never> };

/** Produces the headers that authenticate one License API request. */
export interface Authenticator {
  authorize(signal: AbortSignal): Promise<Authorization>;
  /** The server refused the credentials: forget any cached token. */
  invalidate(): void;
}

export function hmacAuthenticator(apiKey: string, sharedKey: string, clock: Clock): Authenticator {
  return {
    authorize: () => {
      // The signature covers the Date header, so both come from the same instant.
      const date = new Date(clock.now()).toUTCString();
      return Promise.resolve({
        kind: 'ok',
        headers: { date, authorization: hmacAuthorization(apiKey, sharedKey, date) },
      });
    },
    invalidate: () => undefined,
  };
}

export function oauthAuthenticator(
  options: { clientId: string; clientSecret: string; tokenUrl: string; timeoutMs: number },
  clock: Clock,
  dispatcher: Dispatcher,
): Authenticator {
  const tokens = new OAuthTokenSource(options, clock, dispatcher);
  return {
    authorize: async (signal) => {
      const token = await tokens.token(signal);
      if (token.kind === 'failed') return token;
      return {
        kind: 'ok',
        headers: {
          date: new Date(clock.now()).toUTCString(),
          authorization: `Bearer ${token.accessToken}`,
        },
      };
    },
    invalidate: () => {
      tokens.invalidate();
    },
  };
}
