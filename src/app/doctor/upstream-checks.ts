import { createPublicKey } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { connect, type TLSSocket } from 'node:tls';
import { MAX_ANSWER_DATE_DISTANCE_MS } from '../../agent/answer-freshness.js';
import type { Clock, Logger } from '../../agent/ports.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { connectUpstream } from '../upstream.js';
import { fail, pass, skip, warn, type CheckResult } from './doctor-check.js';

/** Warned about well before the vendor's limit, while a fix is still a routine one. */
const CLOCK_WARN_MS = 60_000;
const TLS_TIMEOUT_MS = 10_000;
const CERT_WARN_DAYS = 14;

/** A host name resolves; through a proxy the proxy resolves it, so there is nothing to check here. */
export async function dnsCheck(url: URL, env: NodeJS.ProcessEnv, id: string): Promise<CheckResult> {
  const proxy = proxyFor(url, env);
  if (proxy !== null) return skip(id, `${url.hostname} is reached through the proxy ${proxy}`);
  try {
    const { address } = await lookup(url.hostname);
    return pass(id, `${url.hostname} is ${address}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    return fail(
      id,
      `${url.hostname} does not resolve: ${code}`,
      'check /etc/resolv.conf and the network, or the URL in the config',
    );
  }
}

/** A TLS handshake that verifies, and a certificate that is not about to expire. */
export async function tlsCheck(
  url: URL,
  env: NodeJS.ProcessEnv,
  id: string,
  clock: Clock,
): Promise<CheckResult> {
  if (url.protocol !== 'https:') {
    return warn(id, `${url.origin} is plain http`, 'use https for anything but a test server');
  }
  const proxy = proxyFor(url, env);
  if (proxy !== null) return skip(id, `${url.hostname} is reached through the proxy ${proxy}`);
  const port = url.port === '' ? 443 : Number(url.port);
  const outcome = await new Promise<{ ok: true; socket: TLSSocket } | { ok: false; code: string }>(
    (resolve) => {
      const socket = connect({ host: url.hostname, port, servername: url.hostname });
      socket.setTimeout(TLS_TIMEOUT_MS, () => {
        socket.destroy();
        resolve({ ok: false, code: 'timeout' });
      });
      socket.once('secureConnect', () => {
        resolve({ ok: true, socket });
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        resolve({ ok: false, code: error.code ?? error.message });
      });
    },
  );
  if (!outcome.ok) {
    return fail(
      id,
      `the TLS handshake with ${url.host} failed: ${outcome.code}`,
      'a certificate not trusted or for another name: check the system time, the CA store, and any TLS-intercepting proxy',
    );
  }
  const certificate = outcome.socket.getPeerCertificate();
  outcome.socket.destroy();
  const expires = Date.parse(certificate.valid_to);
  const daysLeft = (expires - clock.now()) / 86_400_000;
  if (daysLeft < CERT_WARN_DAYS) {
    return warn(
      id,
      `${url.host}'s certificate expires ${certificate.valid_to}`,
      'the server must renew it; the agent stops reaching it then',
    );
  }
  return pass(id, `${url.host}: verified, certificate valid until ${certificate.valid_to}`);
}

/**
 * One authenticated `device_licenses` call, as a sync makes it, and the clock compared with the
 * server's `Date` from the same answer.
 */
export async function licenseServerChecks(
  config: ResolvedConfig,
  hardwareId: string | null,
  deps: { readonly clock: Clock; readonly log: Logger; readonly env: NodeJS.ProcessEnv },
  /** Told the licence IDs a genuine `device_licenses` answer listed. */
  onLicenses: (ids: readonly number[]) => void = () => undefined,
): Promise<CheckResult[]> {
  const { clock, log, env } = deps;
  if (config.upstream.kind === 'sandbox') {
    return [
      warn(
        'upstream',
        'licensespring.baseUrl is sandbox: the built-in imitation grants example licences to this device',
        'set licensespring.baseUrl and licensespring.auth for a real account (docs/configuration.md)',
      ),
    ];
  }
  const upstream = config.upstream;
  const url = new URL(upstream.baseUrl);
  const results = [await dnsCheck(url, env, 'upstream-dns')];
  results.push(await tlsCheck(url, env, 'upstream-tls', clock));
  if (hardwareId === null) {
    results.push(skip('upstream-call', 'no hardware ID to ask about'));
    return results;
  }
  const anchor = {
    publicKey: upstream.publicKeyPem === null ? null : createPublicKey(upstream.publicKeyPem),
    sandboxKey: null,
  };
  const connected = await connectUpstream(config, anchor, clock, log);
  try {
    const outcome = await connected.api.deviceLicenses(hardwareId, AbortSignal.timeout(30_000));
    const credentials =
      upstream.auth.method === 'hmac'
        ? 'licensespring.auth.apiKey and licensespring.auth.sharedKey'
        : 'licensespring.auth.clientId and licensespring.auth.clientSecret';
    switch (outcome.kind) {
      case 'genuine':
        onLicenses(outcome.value.map((l) => l.id));
        results.push(
          pass(
            'upstream-call',
            `device_licenses: ${String(outcome.value.length)} licence(s), signature verified`,
          ),
        );
        results.push(clockCheck(outcome.serverDate, clock));
        break;
      case 'refused':
        results.push(
          warn(
            'upstream-call',
            `device_licenses: the server refused (${outcome.code}) for ${hardwareId}`,
            'the credentials work; the licence server has no licence for this hardware ID: `edge-license-agent hwid`, and the device in the vendor portal',
          ),
        );
        results.push(clockCheck(outcome.serverDate ?? null, clock));
        break;
      case 'rejected':
        results.push(
          fail(
            'upstream-call',
            `device_licenses: rejected (${outcome.code}, HTTP ${String(outcome.status)})`,
            outcome.code === 'date_header_diff'
              ? "this device's clock is more than 15 minutes off: fix NTP (timedatectl)"
              : `check ${credentials}`,
          ),
        );
        if (outcome.code === 'date_header_diff') {
          results.push(
            fail(
              'clock',
              'the server refused the request for its Date',
              'fix NTP (timedatectl status)',
            ),
          );
        }
        break;
      case 'unreachable':
        results.push(
          fail(
            'upstream-call',
            `device_licenses: unreachable (${outcome.cause}${outcome.status === null ? '' : `, HTTP ${String(outcome.status)}`})`,
            'check the network path, any proxy (HTTPS_PROXY, NO_PROXY) and licensespring.baseUrl',
          ),
        );
        break;
      case 'not-genuine':
        results.push(
          fail(
            'upstream-call',
            `device_licenses: the answer cannot be trusted (${outcome.reason})`,
            'check licensespring.publicKeyFile and licensespring.baseUrl: is that the vendor?',
          ),
        );
        break;
      default: {
        const never: never = outcome;
        return never;
      }
    }
  } finally {
    await connected.close();
  }
  return results;
}

/** The device's clock against the server's `Date`, well before the vendor's 15 minutes. */
export function clockCheck(serverDate: number | null, clock: Clock): CheckResult {
  if (serverDate === null) return skip('clock', 'the server sent no Date to compare with');
  const offMs = clock.now() - serverDate;
  const off = `${(Math.abs(offMs) / 1000).toFixed(0)} s ${offMs > 0 ? 'ahead of' : 'behind'} the licence server`;
  if (Math.abs(offMs) >= MAX_ANSWER_DATE_DISTANCE_MS) {
    return fail('clock', off, 'the vendor refuses requests 15 minutes off: fix NTP (timedatectl)');
  }
  if (Math.abs(offMs) >= CLOCK_WARN_MS) {
    return warn(
      'clock',
      off,
      "fix NTP (timedatectl status) before it reaches the vendor's 15 minutes",
    );
  }
  return pass('clock', off);
}

function proxyFor(url: URL, env: NodeJS.ProcessEnv): string | null {
  const noProxy = (env['NO_PROXY'] ?? env['no_proxy'] ?? '').split(',').map((s) => s.trim());
  if (
    noProxy.some(
      (entry) => entry !== '' && (entry === '*' || url.hostname.endsWith(entry.replace(/^\./, ''))),
    )
  ) {
    return null;
  }
  const proxy =
    url.protocol === 'https:'
      ? (env['HTTPS_PROXY'] ?? env['https_proxy'])
      : (env['HTTP_PROXY'] ?? env['http_proxy']);
  return proxy === undefined || proxy === '' ? null : proxy;
}
