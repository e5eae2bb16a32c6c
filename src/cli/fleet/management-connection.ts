import { setTimeout as delay } from 'node:timers/promises';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { Sleep } from '../../agent/ports.js';
import { systemClock, systemRandom } from '../../adapters/clock/system-clock.js';
import {
  createManagementClient,
  type ManagementClient,
} from '../../adapters/management/management-client.js';
import { startSandbox } from '../../adapters/sandbox/sandbox-server.js';
import { readManagementApiKey } from '../../config/resolve-management.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

export type ManagementConnection =
  | {
      readonly kind: 'open';
      readonly client: ManagementClient;
      /** Where the listing comes from, for messages: a URL, or the sandbox's. */
      readonly target: string;
      readonly sandbox: boolean;
      close(): Promise<void>;
    }
  | { readonly kind: 'wrong'; readonly exit: ExitCode; readonly lines: readonly string[] };

/**
 * The agent's sleep is unref'd so that it never holds a stopping daemon; here the wait is all
 * the command is doing, and an unref'd timer would let node exit in the middle of it (code 13).
 */
const waitOut: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal === undefined ? {} : { signal });
};

/** Pages are retried this often while the server cannot be reached or asks to wait. */
const ATTEMPTS = 5;

/**
 * The Management API the config names, with its key read now (never from argv); or the sandbox's
 * imitation, started in this process on loopback, so `fleet licenses` works with no account.
 */
export async function openManagement(
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv,
  onWait: (ms: number, why: 'rate_limited' | 'unreachable') => void,
): Promise<ManagementConnection> {
  const { management } = config;
  const client = (baseUrl: string, apiKey: string, dispatcher: Dispatcher) =>
    createManagementClient({
      baseUrl,
      apiKey,
      dispatcher,
      timeoutMs: management.timeoutMs,
      policy: {
        attempts: ATTEMPTS,
        baseDelayMs: 1_000,
        maxDelayMs: 30_000,
        maxRetryAfterMs: management.maxRetryAfterMs,
      },
      clock: systemClock,
      sleep: waitOut,
      random: systemRandom,
      onWait,
    });
  const connect = { timeout: Math.min(management.timeoutMs, 10_000) };
  if (management.upstream.kind === 'sandbox') {
    const sandbox = await startSandbox({ host: '127.0.0.1', port: 0 });
    const dispatcher = new Agent({ connect });
    return {
      kind: 'open',
      client: client(sandbox.managementUrl, sandbox.credentials.managementApiKey, dispatcher),
      target: 'the built-in sandbox',
      sandbox: true,
      close: async () => {
        await dispatcher.close();
        await sandbox.close();
      },
    };
  }
  const upstream = management.upstream;
  const key = await readManagementApiKey(upstream, env, config.sources);
  if (key.kind === 'unreadable') {
    return {
      kind: 'wrong',
      exit: EXIT.config,
      lines: key.issues.map((i) => `${i.key}: ${i.message}`),
    };
  }
  // HTTPS_PROXY / NO_PROXY, as for the License API.
  const dispatcher = new EnvHttpProxyAgent({ connect });
  return {
    kind: 'open',
    client: client(upstream.baseUrl, key.apiKey, dispatcher),
    target: upstream.baseUrl,
    sandbox: false,
    close: () => dispatcher.close(),
  };
}
