import { createPublicKey, type KeyObject } from 'node:crypto';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { Clock, LicenseApi, Logger } from '../agent/ports.js';
import {
  hmacAuthenticator,
  oauthAuthenticator,
  type Authenticator,
} from '../adapters/licensespring/authenticator.js';
import {
  createLicenseApiClient,
  type LicenseApiClientOptions,
} from '../adapters/licensespring/license-api-client.js';
import { createFloatingApiClient } from '../adapters/licensespring/floating-api-client.js';
import { createActivationApiClient } from '../adapters/licensespring/activation-api-client.js';
import type { ActivationApi } from '../agent/activation-ports.js';
import type { FloatingApi } from '../agent/floating-ports.js';
import type { TrustAnchor } from './trust-anchor.js';
import { startSandbox, type Sandbox } from '../adapters/sandbox/sandbox-server.js';
import type { ResolvedConfig } from '../config/resolved-config.js';

export interface ConnectedUpstream {
  readonly api: LicenseApi;
  /** Floating seats given back, through the same connection and trust as `api`. */
  readonly floating: FloatingApi;
  /** Activation and deactivation, through the same connection and trust as `api`. */
  readonly activation: ActivationApi;
  readonly kind: 'sandbox' | 'licensespring';
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The License API the agent talks to: the configured server through the standard proxy variables,
 * or, when none is configured, the built-in sandbox on loopback with its own signing key.
 */
export async function connectUpstream(
  config: ResolvedConfig,
  anchor: TrustAnchor,
  clock: Clock,
  log: Logger,
): Promise<ConnectedUpstream> {
  const timeoutMs = config.sync.timeoutMs;
  const connect = { timeout: Math.min(timeoutMs, 10_000) };
  if (config.upstream.kind === 'sandbox') {
    // The sandbox keeps its signing key beside the agent's state, so that answers saved before a
    // restart still verify after it, as they would against the vendor's fixed key.
    const sandbox: Sandbox = await startSandbox({
      host: '127.0.0.1',
      port: 0,
      ...(anchor.sandboxKey === null ? {} : { privateKey: anchor.sandboxKey }),
    });
    log.warn(
      { url: sandbox.url },
      'licensespring.baseUrl is sandbox: using the built-in sandbox, which grants example licences to this device',
    );
    // Loopback needs no proxy, whatever the environment says.
    const dispatcher = new Agent({ connect });
    const authenticator = hmacAuthenticator(
      sandbox.credentials.apiKey,
      sandbox.credentials.sharedKey,
      clock,
    );
    const sandboxKey = createPublicKey(sandbox.publicKeyPem);
    return {
      api: client(sandbox.url, authenticator, sandboxKey, dispatcher),
      floating: createFloatingApiClient(
        options(sandbox.url, authenticator, sandboxKey, dispatcher),
      ),
      activation: createActivationApiClient(
        options(sandbox.url, authenticator, sandboxKey, dispatcher),
      ),
      kind: 'sandbox',
      baseUrl: sandbox.url,
      close: async () => {
        await dispatcher.close();
        await sandbox.close();
      },
    };
  }

  const { baseUrl, auth, publicKeyPem } = config.upstream;
  // HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as curl and most tools read them.
  const dispatcher = new EnvHttpProxyAgent({ connect });
  const authenticator =
    auth.method === 'hmac'
      ? hmacAuthenticator(auth.apiKey, auth.sharedKey, clock)
      : oauthAuthenticator({ ...auth, timeoutMs }, clock, dispatcher);
  // Allowed only by licensespring.insecure.*; said at every start so that it is never forgotten.
  if (publicKeyPem === null) {
    log.warn(
      { setting: 'licensespring.insecure.allowUnverifiedAnswers' },
      'licensespring.publicKeyFile is null: answers are believed without a signature check',
    );
  }
  for (const url of plainHttpUrls(config.upstream)) {
    log.warn(
      { url, setting: 'licensespring.insecure.allowPlainHttp' },
      'the licence server is reached over plain http: answers and credentials travel unprotected',
    );
  }
  return {
    api: client(baseUrl, authenticator, anchor.publicKey, dispatcher),
    floating: createFloatingApiClient(
      options(baseUrl, authenticator, anchor.publicKey, dispatcher),
    ),
    activation: createActivationApiClient(
      options(baseUrl, authenticator, anchor.publicKey, dispatcher),
    ),
    kind: 'licensespring',
    baseUrl,
    close: () => dispatcher.close(),
  };

  function client(
    url: string,
    authenticator: Authenticator,
    key: KeyObject | null,
    via: Dispatcher,
  ): LicenseApi {
    return createLicenseApiClient(options(url, authenticator, key, via));
  }

  function options(
    url: string,
    authenticator: Authenticator,
    key: KeyObject | null,
    via: Dispatcher,
  ): LicenseApiClientOptions {
    return { baseUrl: url, authenticator, publicKey: key, clock, timeoutMs, dispatcher: via };
  }
}

function plainHttpUrls(upstream: Extract<ResolvedConfig['upstream'], { kind: 'licensespring' }>) {
  const urls = [upstream.baseUrl];
  if (upstream.auth.method === 'oauth') urls.push(upstream.auth.tokenUrl);
  return urls.filter((url) => url.startsWith('http:'));
}
