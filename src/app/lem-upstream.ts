import { randomBytes } from 'node:crypto';
import type { Logger } from '../agent/ports.js';
import type { LemApi } from '../agent/lem-ports.js';
import { createLemClient } from '../adapters/lem/lem-client.js';
import { lemDispatcher } from '../adapters/lem/lem-tls.js';
import { startLemSandbox } from '../adapters/sandbox/lem/lem-sandbox.js';
import type { LemSettings } from '../config/resolved-config.js';
import { SANDBOX_FALLBACK_MAC } from './lem-sandbox-mac.js';
import { systemClock } from '../adapters/clock/system-clock.js';

export interface ConnectedLem {
  readonly api: LemApi;
  readonly kind: 'sandbox' | 'lem';
  readonly baseUrl: string;
  readonly projectId: string;
  /** The sandbox's CA, so that a person can reach it with curl; null for a real LEM. */
  readonly sandboxCaPem: string | null;
  close(): Promise<void>;
}

/**
 * The LEM the daemon and the `lem` commands talk to: the configured server with its TLS choice,
 * or the built-in HTTPS imitation on loopback, whose pool binds one licence to `deviceMac`, reached
 * over real TLS against the CA it made.
 */
export async function connectLem(
  settings: LemSettings,
  deviceMac: string | null,
  log: Logger,
): Promise<ConnectedLem> {
  if (settings.upstream.kind === 'sandbox') {
    // A fresh token per start: the sandbox checks it like LEM does, and nobody else knows it.
    const token = randomBytes(16).toString('hex');
    const sandbox = await startLemSandbox({
      token,
      deviceMac: deviceMac ?? SANDBOX_FALLBACK_MAC,
      expiresAt: sandboxExpiry(),
    });
    log.warn(
      { url: sandbox.url },
      'lem.baseUrl is sandbox: using the built-in LEM sandbox, an example pool with one licence for this device',
    );
    const dispatcher = lemDispatcher({ kind: 'ca', caPem: sandbox.caPem });
    return {
      api: createLemClient({
        baseUrl: sandbox.url,
        projectId: sandbox.projectId,
        token,
        authStyle: 'basic',
        dispatcher,
        timeoutMs: settings.timeoutMs,
      }),
      kind: 'sandbox',
      baseUrl: sandbox.url,
      projectId: sandbox.projectId,
      sandboxCaPem: sandbox.caPem,
      close: async () => {
        await dispatcher.close();
        await sandbox.close();
      },
    };
  }
  const { baseUrl, projectId, token, authStyle, tls } = settings.upstream;
  // Allowed only by lem.tls.insecureSkipVerify; said at every start so that it is never forgotten.
  if (tls.kind === 'insecure') {
    log.warn(
      { setting: 'lem.tls.insecureSkipVerify' },
      "LEM's certificate is not verified: anyone on the path can read the LEM token and answer for LEM",
    );
  }
  const dispatcher = lemDispatcher(tls);
  return {
    api: createLemClient({
      baseUrl,
      projectId,
      token,
      authStyle,
      dispatcher,
      timeoutMs: settings.timeoutMs,
    }),
    kind: 'lem',
    baseUrl,
    projectId,
    sandboxCaPem: null,
    close: () => dispatcher.close(),
  };
}

/**
 * The built-in sandbox's pool and features run for a year from today, so `npm start` shows them
 * allowed; tests against the document's own example date start the sandbox themselves.
 */
function sandboxExpiry(): number {
  const inAYear = new Date(systemClock.now() + 365 * 86_400_000);
  return Date.UTC(
    inAYear.getUTCFullYear(),
    inAYear.getUTCMonth(),
    inAYear.getUTCDate(),
    23,
    59,
    59,
  );
}
