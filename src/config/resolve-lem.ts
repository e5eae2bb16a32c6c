import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConfigIssue } from './config-error.js';
import { readSecret } from './read-secret.js';
import type { LemSettings, LemTrust, LemUpstream } from './resolved-config.js';
import { SANDBOX, type ParsedConfig } from './schema.js';

/** The `lem` section with its token and CA read, or null when LEM is not configured. */
export async function resolveLem(
  lem: ParsedConfig['lem'],
  baseDir: string,
  env: NodeJS.ProcessEnv,
  sources: ReadonlyMap<string, string>,
  issues: ConfigIssue[],
): Promise<LemSettings | null> {
  if (lem === null) return null;
  const settings: Omit<LemSettings, 'upstream'> = {
    deviceId: lem.deviceId,
    schedule: lem.schedule,
    splayMs: lem.splaySeconds * 1000,
    timeoutMs: lem.timeoutSeconds * 1000,
  };
  // The sandbox makes its own token and certificate; the settings below are for a real LEM.
  if (lem.baseUrl === SANDBOX || lem.projectId === undefined) {
    return Object.freeze({ ...settings, upstream: { kind: 'sandbox' } as const });
  }
  const token = await readSecret('lem.token', lem.token, baseDir, env, sources, issues);
  const tls = await resolveTrust(lem.tls, baseDir, sources, issues);
  // Each missing part has been reported in `issues`, which the caller throws.
  if (token === null || tls === null) return null;
  const upstream: LemUpstream = {
    kind: 'lem',
    baseUrl: lem.baseUrl.endsWith('/') ? lem.baseUrl : `${lem.baseUrl}/`,
    projectId: lem.projectId,
    token,
    authStyle: lem.authStyle,
    tls,
  };
  return Object.freeze({ ...settings, upstream: Object.freeze(upstream) });
}

async function resolveTrust(
  tls: NonNullable<ParsedConfig['lem']>['tls'],
  baseDir: string,
  sources: ReadonlyMap<string, string>,
  issues: ConfigIssue[],
): Promise<LemTrust | null> {
  if (tls.insecureSkipVerify) return { kind: 'insecure' };
  if (tls.sha256Fingerprint !== null) return { kind: 'fingerprint', sha256: tls.sha256Fingerprint };
  if (tls.caFile === null) return { kind: 'system' };
  const file = resolve(baseDir, tls.caFile);
  try {
    const caPem = await readFile(file, 'utf8');
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
      issues.push({
        key: 'lem.tls.caFile',
        message: `${file} holds no PEM certificate`,
        source: sources.get('lem.tls.caFile') ?? null,
      });
      return null;
    }
    return { kind: 'ca', caPem };
  } catch (error) {
    issues.push({
      key: 'lem.tls.caFile',
      message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      source: sources.get('lem.tls.caFile') ?? null,
    });
    return null;
  }
}
