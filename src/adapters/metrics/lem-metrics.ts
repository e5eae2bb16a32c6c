import { UNREACHABLE_CAUSES } from './outcome-labels.js';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LemMetrics } from '../../agent/lem-poll-ports.js';
import type { LemPoolStats, LemRefusalCode } from '../../domain/lem.js';
import { LEM_PARTS, type LemPart, type LemSnapshot } from '../../domain/lem-snapshot.js';
import { toSeconds } from './labels.js';

const PREFIX = 'license_agent_lem_';

// Records keyed by the domain unions: a new code fails compilation here until it is counted.
const refusals: Readonly<Record<LemRefusalCode, null>> = {
  lem_token_rejected: null,
  lem_permission_denied: null,
  lem_bad_request: null,
  lem_not_found: null,
  lem_unexpected_status: null,
};
/** Every label a poll outcome can be counted under (an upload's `lem_csv_invalid` never is). */
export const LEM_POLL_OUTCOMES: readonly string[] = [
  'ok',
  ...Object.keys(refusals),
  ...UNREACHABLE_CAUSES,
  'malformed',
];

const POOL_STATES = [
  'active',
  'used',
  'unused',
  'expired',
] as const satisfies readonly (keyof LemPoolStats)[];

const partLabels: Readonly<Record<LemPart, string>> = {
  stats: 'stats',
  skus: 'skus',
  used: 'used',
  serverFeatures: 'server_features',
  licenseFeatures: 'license_features',
};

/**
 * LEM's pool, catalogues and this device's LEM licences as gauges, and the polls as counters.
 * Labels are bounded: pool states, SKUs, feature names and this device's few licence record IDs;
 * never a licence key.
 */
export function createLemMetrics(registry: Registry): LemMetrics {
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `${PREFIX}${name}`, help, labelNames, registers });

  const polls = new Counter({
    name: `${PREFIX}polls_total`,
    help: 'LEM calls of each poll, by part and outcome (ok, a refusal code, why unreachable, malformed).',
    labelNames: ['part', 'outcome'],
    registers,
  });
  for (const part of LEM_PARTS) {
    for (const outcome of LEM_POLL_OUTCOMES) polls.inc({ part: partLabels[part], outcome }, 0);
  }
  const lastSuccess = gauge(
    'last_success_timestamp_seconds',
    'When LEM last answered each part; absent until it has (saved answers count).',
    ['part'],
  );
  const pool = gauge('pool_licenses', "Licences in the LEM project's pool, by state.", ['state']);
  const skus = gauge('sku_licenses', 'Licences of each SKU allocated to the LEM pool.', [
    'sku',
    'core',
  ]);
  const usedDevices = gauge('pool_devices', 'Devices holding licences from the LEM pool.');
  const serverFeatures = gauge(
    'server_feature_enabled',
    'Whether each LEM server feature is enabled: 1 or 0.',
    ['feature'],
  );
  const licenseFeatureEnabled = gauge(
    'license_feature_enabled',
    "Whether each feature of LEM's licence is enabled: 1 or 0.",
    ['feature'],
  );
  const licenseFeatureExpiry = gauge(
    'license_feature_expiry_timestamp_seconds',
    "When each feature of LEM's licence expires; absent when it does not.",
    ['feature'],
  );
  const ownLicenses = gauge(
    'device_licenses',
    "This device's own licences in the LEM pool (found by MAC or lem.deviceId); 0: not in the pool.",
  );
  const ownInfo = gauge(
    'device_license_info',
    'Always 1 per licence of this device in the LEM pool; labels carry its record ID, SKU and status.',
    ['license_id', 'sku', 'status', 'core', 'trial'],
  );
  const ownExpiry = gauge(
    'device_license_expiry_timestamp_seconds',
    "When each of this device's LEM licences expires.",
    ['license_id', 'sku'],
  );
  const ownFeatureExpiry = gauge(
    'device_license_feature_expiry_timestamp_seconds',
    "When the features of each of this device's LEM licences expire.",
    ['license_id', 'sku'],
  );

  let shown: LemSnapshot | null = null;
  return {
    polled(part, outcome) {
      polls.inc({ part: partLabels[part], outcome: outcome.label });
    },
    show(snapshot) {
      // The gauges follow the snapshot object; an unchanged one costs nothing per scrape.
      if (snapshot === shown) return;
      shown = snapshot;
      for (const part of LEM_PARTS) {
        const okAt = snapshot[part].okAt;
        if (okAt === null) lastSuccess.remove({ part: partLabels[part] });
        else lastSuccess.set({ part: partLabels[part] }, toSeconds(okAt));
      }
      const stats = snapshot.stats.value;
      pool.reset();
      if (stats !== null) {
        for (const state of POOL_STATES) pool.set({ state }, stats[state]);
      }
      skus.reset();
      for (const sku of snapshot.skus.value ?? []) {
        skus.set({ sku: sku.licenseSku, core: String(sku.isCore) }, sku.count);
      }
      for (const g of [serverFeatures, licenseFeatureEnabled, licenseFeatureExpiry]) g.reset();
      for (const f of snapshot.serverFeatures.value ?? []) {
        serverFeatures.set({ feature: f.name }, f.enabled ? 1 : 0);
      }
      for (const f of snapshot.licenseFeatures.value ?? []) {
        licenseFeatureEnabled.set({ feature: f.name }, f.enabled ? 1 : 0);
        if (f.expiresAt !== null)
          licenseFeatureExpiry.set({ feature: f.name }, toSeconds(f.expiresAt));
      }
      const used = snapshot.used.value;
      usedDevices.reset();
      if (used !== null) usedDevices.set(used.devices);
      for (const g of [ownInfo, ownExpiry, ownFeatureExpiry]) g.reset();
      const own = used?.own.flatMap((d) => d.licenses) ?? [];
      ownLicenses.reset();
      if (used !== null) ownLicenses.set(own.length);
      for (const l of own) {
        const id = { license_id: l.id, sku: l.licenseSku };
        ownInfo.set(
          { ...id, status: l.status, core: String(l.isCore), trial: String(l.isTrial) },
          1,
        );
        if (l.expiryDate !== null) ownExpiry.set(id, toSeconds(l.expiryDate));
        if (l.expiryFeatureDate !== null) ownFeatureExpiry.set(id, toSeconds(l.expiryFeatureDate));
      }
    },
  };
}
