import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { envOverrides, type EnvOverride } from './env-overrides.js';
import type { ResolvedConfig, Upstream, UpstreamAuth } from './resolved-config.js';
import { packageManifest, PACKAGED_PUBLIC_KEY } from './package-root.js';
import { configSchema, SANDBOX, type ParsedConfig, type SecretRef } from './schema.js';
import { readConfigFile } from './read-config-file.js';
import { readSecret } from './read-secret.js';
import { resolveLem } from './resolve-lem.js';
import { resolveManagement } from './resolve-management.js';
import { socketIssues } from './socket-checks.js';

export interface LoadOptions {
  readonly path: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Defaults < file < environment. Every invalid key is reported at once in one ConfigError; nothing
 * is coerced silently. Relative paths in the file are relative to the file.
 */
export async function loadConfig(options: LoadOptions): Promise<ResolvedConfig> {
  const path = resolve(options.path);
  const fileSource = `file ${path}`;
  const raw = await readConfigFile(path);
  const sources = new Map<string, string>();
  for (const key of leafKeys(raw)) sources.set(key, fileSource);

  const { overrides, issues: envIssues } = envOverrides(options.env);
  if (envIssues.length > 0) throw new ConfigError('config_invalid', envIssues);
  const merged = structuredClone(raw);
  for (const o of overrides) {
    setPath(merged, o.path, o.value);
    sources.set(o.path.join('.'), `env ${o.variable}`);
  }

  const parsed = parseWithStringFallback(merged, overrides, sources);
  const baseDir = dirname(path);
  const issues: ConfigIssue[] = [];
  const upstream = await resolveUpstream(parsed, baseDir, options.env, sources, issues);
  const activate: { product: string; key: string }[] = [];
  for (const [i, entry] of parsed.licensespring.activate.entries()) {
    const key = await readSecret(
      `licensespring.activate.${String(i)}.key`,
      entry.key,
      baseDir,
      options.env,
      sources,
      issues,
    );
    if (key !== null) activate.push({ product: entry.product, key });
  }
  const token =
    parsed.http.token === null
      ? null
      : await readSecret('http.token', parsed.http.token, baseDir, options.env, sources, issues);
  if (token === null && parsed.http.token === null && !isLoopback(parsed.http.host)) {
    issues.push({
      key: 'http.token',
      message: `is required when http.host (${parsed.http.host}) is not a loopback address`,
      source: sources.get('http.host') ?? null,
    });
  }
  const socketPath = parsed.http.socket === null ? null : resolve(baseDir, parsed.http.socket.path);
  if (parsed.http.socket !== null && socketPath !== null) {
    issues.push(
      ...(await socketIssues({ path: socketPath, group: parsed.http.socket.group }, sources)),
    );
  }
  const lem = await resolveLem(parsed.lem, baseDir, options.env, sources, issues);
  const management = resolveManagement(parsed.licensespring, baseDir, sources, issues);
  if (issues.length > 0) throw new ConfigError('config_invalid', issues);

  return Object.freeze({
    hardwareIdOverride: parsed.device.hardwareId,
    machine: parsed.device.machine,
    stateDirectory: resolve(baseDir, parsed.stateDirectory),
    upstream,
    product: parsed.licensespring.product,
    features: Object.freeze([...parsed.licensespring.features]),
    featureChecks: parsed.licensespring.featureChecks,
    management,
    sync: Object.freeze({
      schedule: parsed.sync.schedule ?? null,
      splayMs: parsed.sync.splaySeconds * 1000,
      cadence: {
        minIntervalMs: parsed.sync.minIntervalSeconds * 1000,
        maxIntervalMs: parsed.sync.maxIntervalSeconds * 1000,
        dailyCallBudget: parsed.sync.dailyCallBudget,
      },
      timeoutMs: parsed.sync.timeoutSeconds * 1000,
      attempts: parsed.sync.attempts,
      backoffBaseMs: parsed.sync.backoffBaseMs,
      backoffMaxMs: parsed.sync.backoffMaxMs,
      maxRetryAfterMs: parsed.sync.maxRetryAfterSeconds * 1000,
      concurrency: parsed.sync.concurrency,
    }),
    offline: Object.freeze({
      graceMs: parsed.offline.graceHours * 3_600_000,
      rollbackToleranceMs: parsed.offline.clockRollbackToleranceSeconds * 1000,
    }),
    floating: Object.freeze({ idleReleaseMs: parsed.floating.idleReleaseMinutes * 60_000 }),
    activate,
    http: Object.freeze({
      host: parsed.http.host,
      port: parsed.http.port,
      token,
      socket:
        parsed.http.socket === null
          ? null
          : Object.freeze({
              path: resolve(baseDir, parsed.http.socket.path),
              mode: parseInt(parsed.http.socket.mode, 8),
              group: parsed.http.socket.group,
            }),
    }),
    policy: Object.freeze({
      whenUnknown: Object.freeze({
        default: parsed.policy.whenUnknown.default,
        features: Object.freeze({ ...parsed.policy.whenUnknown.features }),
      }),
    }),
    lem,
    log: Object.freeze({ ...parsed.log }),
    metrics: Object.freeze({ profile: parsed.metrics.profile }),
    events: Object.freeze({
      maxSubscribers: parsed.events.maxSubscribers,
      heartbeatMs: parsed.events.heartbeatSeconds * 1000,
      maxBacklogBytes: parsed.events.maxBacklogKiB * 1024,
    }),
    sources,
  });
}

/**
 * YAML reads `ELA_DEVICE__HARDWARE_ID=0123` as the number 123; where the schema wants a string,
 * the variable's text is what the operator meant.
 */
function parseWithStringFallback(
  merged: Record<string, unknown>,
  overrides: readonly EnvOverride[],
  sources: ReadonlyMap<string, string>,
): ParsedConfig {
  let result = configSchema.safeParse(merged, { reportInput: true });
  if (!result.success) {
    let retried = false;
    for (const issue of result.error.issues) {
      const override = overrides.find((o) => samePath(o.path, issue.path));
      if (override !== undefined && issue.code === 'invalid_type' && issue.expected === 'string') {
        setPath(merged, override.path, override.raw);
        retried = true;
      }
    }
    if (retried) result = configSchema.safeParse(merged, { reportInput: true });
  }
  if (result.success) return result.data;
  throw new ConfigError(
    'config_invalid',
    result.error.issues.flatMap((i) => toIssues(i, sources)),
  );
}

function toIssues(issue: z.core.$ZodIssue, sources: ReadonlyMap<string, string>): ConfigIssue[] {
  const base = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({
      key: [...base, k].join('.'),
      message: 'is not a known key',
      source: sources.get([...base, k].join('.')) ?? null,
    }));
  }
  const key = base.join('.') || '(root)';
  return [{ key, message: plainMessage(issue), source: sources.get(key) ?? null }];
}

function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message.replace(/^Invalid input: /, '');
}

async function resolveUpstream(
  parsed: ParsedConfig,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  sources: ReadonlyMap<string, string>,
  issues: ConfigIssue[],
): Promise<Upstream> {
  const ls = parsed.licensespring;
  // The schema has reported a missing baseUrl already; the sandbox stands in so the rest is checked.
  if (ls.baseUrl === undefined || ls.baseUrl === SANDBOX) return { kind: 'sandbox' };
  const issue = (key: string, message: string) => {
    issues.push({ key, message, source: sources.get(key) ?? null });
  };
  const plainHttp = (key: string, url: string) => {
    if (new URL(url).protocol === 'http:' && !ls.insecure.allowPlainHttp) {
      issue(
        key,
        `${url} is plain http: answers and credentials could be read or changed on the way. Use https, or set licensespring.insecure.allowPlainHttp: true for a test server`,
      );
    }
  };
  plainHttp('licensespring.baseUrl', ls.baseUrl);
  const read = (key: string, ref: SecretRef) => readSecret(key, ref, baseDir, env, sources, issues);
  const auth = ls.auth;
  let resolvedAuth: UpstreamAuth | null = null;
  if (auth?.method === 'hmac') {
    const apiKey = await read('licensespring.auth.apiKey', auth.apiKey);
    const sharedKey = await read('licensespring.auth.sharedKey', auth.sharedKey);
    if (apiKey !== null && sharedKey !== null) resolvedAuth = { method: 'hmac', apiKey, sharedKey };
  } else if (auth?.method === 'oauth') {
    plainHttp('licensespring.auth.tokenUrl', auth.tokenUrl);
    const clientSecret = await read('licensespring.auth.clientSecret', auth.clientSecret);
    if (clientSecret !== null) {
      resolvedAuth = {
        method: 'oauth',
        clientId: auth.clientId,
        clientSecret,
        tokenUrl: auth.tokenUrl,
      };
    }
  }
  let publicKeyPem: string | null = null;
  if (ls.publicKeyFile === null) {
    if (!ls.insecure.allowUnverifiedAnswers) {
      issue(
        'licensespring.publicKeyFile',
        "is null, so no answer's LicenseSignature would be checked and a forged answer could grant. Name the vendor's key (the default is the production key shipped with the agent), or set licensespring.insecure.allowUnverifiedAnswers: true",
      );
    }
  } else {
    const file = publicKeyPath(ls.publicKeyFile, baseDir);
    try {
      publicKeyPem = await readFile(file, 'utf8');
      if (!isPublicKey(publicKeyPem)) {
        issue('licensespring.publicKeyFile', `${file} is not an RSA public key in PEM form`);
      }
    } catch (error) {
      issue(
        'licensespring.publicKeyFile',
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
    }
  }
  if (resolvedAuth === null) return { kind: 'sandbox' };
  return {
    kind: 'licensespring',
    baseUrl: withSlash(ls.baseUrl),
    auth: resolvedAuth,
    publicKeyPem,
  };
}

/** A configured key file is relative to the config; by default, the vendor key in the package. */
function publicKeyPath(configured: string | undefined, baseDir: string): string {
  if (configured !== undefined) return resolve(baseDir, configured);
  const root = packageManifest()?.root;
  // Only a broken install has no package folder; the read below then names the missing file.
  return resolve(root ?? baseDir, PACKAGED_PUBLIC_KEY);
}

/** Loopback as the OS routes it: 127.0.0.0/8, ::1 and the name that resolves to them here. */
function isLoopback(host: string): boolean {
  const ip = host.replace(/^\[|\]$/g, '');
  if (ip === 'localhost' || ip === '::1') return true;
  const family = isIP(ip);
  if (family === 4) return ip.startsWith('127.');
  if (family === 6) return /^::ffff:127\./i.test(ip);
  return false;
}

function isPublicKey(pem: string): boolean {
  try {
    return createPublicKey({ key: pem, format: 'pem' }).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function leafKeys(value: unknown, prefix: readonly string[] = []): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return prefix.length === 0 ? [] : [prefix.join('.')];
  }
  return Object.entries(value).flatMap(([k, v]) => [
    [...prefix, k].join('.'),
    ...leafKeys(v, [...prefix, k]),
  ]);
}

function samePath(a: readonly string[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  });
}
