// The three scenarios of issue 23 on one fleet each: what they set up, and the figures they yield.
import { DEFAULT_CADENCE } from '../../dist/src/domain/cadence.js';
import { SimulatedDevice } from './device.mjs';
import { SimulatedLicenseServer } from './license-server.mjs';
import { seededRandom } from '../seeded-random.mjs';
import { VirtualTime } from './virtual-time.mjs';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const T0 = Date.parse('2026-06-01T00:00:00Z');

/**
 * The vendor's plans (README "Rate limits"): the smallest for 10,000 devices, the largest for
 * 100,000. All devices of 10,000 share one credential (50 a second, above the plan's 30); 100,000
 * devices at 2.25 calls an hour ask 62.5 a second, past one credential's 50, so they use 4.
 */
export function planFor(devices) {
  return devices > 10_000
    ? { name: 'largest', perMinute: 18_000, perCredentialPerSecond: 50, credentials: 4 }
    : { name: 'smallest', perMinute: 1_800, perCredentialPerSecond: 50, credentials: 1 };
}

/**
 * Every device holds one licence with a plain feature (`device_licenses` answers it) and a floating
 * one (only `check_license_feature` can say whether a slot is free); one in four also has a
 * consumption feature. With the default `featureChecks: auto` a sync costs 2 calls (3 on every
 * fourth device): 2.25 on average, what a fleet of floating licences really spends.
 */
function licenseOf(index, validUntil) {
  const features = [
    { code: 'reporting', name: 'Reporting', type: 'activation', expiresAt: null, floating: false },
    { code: 'analytics', name: 'Analytics', type: 'activation', expiresAt: null, floating: true },
  ];
  if (index % 4 === 0)
    features.push({
      code: 'metering',
      name: 'Metering',
      type: 'consumption',
      expiresAt: null,
      floating: false,
    });
  return {
    id: index + 1,
    key: `KEY-${String(index).padStart(8, '0')}`,
    user: null,
    productCode: 'edge-suite',
    productName: 'Edge Suite',
    type: 'subscription',
    enabled: true,
    active: true,
    trial: false,
    expired: false,
    validUntil,
    graceHours: 0,
    floating: false,
    features,
  };
}

function fleet(count, horizonMs, { saved, validUntilOf = () => null }) {
  const time = new VirtualTime(T0);
  const plan = planFor(count);
  const server = new SimulatedLicenseServer(time, plan, horizonMs, count);
  const random = seededRandom(23);
  const devices = [];
  for (let i = 0; i < count; i++) {
    server.licenses[i] = licenseOf(i, validUntilOf(i));
    const device = new SimulatedDevice(i, { time, server, random, cadence: DEFAULT_CADENCE });
    // Saved state from ten minutes before the power cut: what the last genuine answer said.
    if (saved) device.restore([server.licenses[i]], T0 - 10 * MINUTE);
    devices.push(device);
  }
  return { time, plan, server, devices };
}

/** (a) Every device powered on in the same second, with saved answers or as a fresh fleet. */
export async function powerOn(count, { saved }) {
  const horizon = 2 * HOUR;
  const f = fleet(count, horizon, { saved });
  for (const d of f.devices) {
    d.recoveryMark = T0;
    d.start();
  }
  await f.time.runUntil(T0 + horizon);
  const inSync = Math.max(...f.devices.map((d) => (d.recoveredAt ?? Infinity) - T0));
  const synced = f.devices.filter((d) => d.recoveredAt !== null).length;
  return { ...f, horizon, window: [0, HOUR / SECOND], allInSyncMs: inSync, synced };
}

/** (b) Steady running, a one-hour outage from hour 2 to hour 3, then recovery until hour 5. */
export async function outage(count) {
  const horizon = 5 * HOUR;
  const f = fleet(count, horizon, { saved: true });
  const from = T0 + 2 * HOUR;
  const until = T0 + 3 * HOUR;
  f.server.down(from, until);
  for (const d of f.devices) {
    d.recoveryMark = until;
    d.start();
  }
  await f.time.runUntil(T0 + horizon);
  const recovered = f.devices.map((d) => (d.recoveredAt ?? Infinity) - until);
  return {
    ...f,
    horizon,
    steadyWindow: [HOUR / SECOND, (2 * HOUR) / SECOND],
    outageWindow: [(2 * HOUR) / SECOND, (3 * HOUR) / SECOND],
    recoveryWindow: [(3 * HOUR) / SECOND, horizon / SECOND],
    backInSyncMs: Math.max(...recovered),
  };
}

/**
 * (c) A day of steady running (hours 1 to 25, after an hour of settling) in which 5% of the
 * devices hold a licence that ends at a random time in that day; the vendor renews half of them at
 * a random time before the end (a year more), the other half lapse.
 */
export async function expiringDay(count) {
  const horizon = DAY + HOUR;
  const pick = seededRandom(5);
  const expiring = new Map();
  for (let i = 0; i < count; i++) {
    if (pick() >= 0.05) continue;
    const endsAt = T0 + HOUR + Math.floor(pick() * DAY);
    const renewedAt = pick() < 0.5 ? T0 + Math.floor(pick() * (endsAt - T0)) : null;
    expiring.set(i, { endsAt, renewedAt });
  }
  const f = fleet(count, horizon, {
    saved: true,
    validUntilOf: (i) => expiring.get(i)?.endsAt ?? null,
  });
  for (const [i, { endsAt, renewedAt }] of expiring) {
    if (renewedAt !== null) {
      f.time.schedule(renewedAt, () => {
        f.server.licenses[i] = { ...f.server.licenses[i], validUntil: endsAt + 365 * DAY };
      });
    } else {
      f.time.schedule(endsAt, () => {
        f.server.licenses[i] = { ...f.server.licenses[i], expired: true };
      });
    }
  }
  // The server's count per device starts with the measured day.
  f.time.schedule(T0 + HOUR, () => f.server.perDevice.fill(0));
  for (const d of f.devices) d.start();
  await f.time.runUntil(T0 + horizon);
  const planned = f.devices.map((d) => d.planner.callsInLastDay(T0 + horizon));
  return {
    ...f,
    horizon,
    window: [HOUR / SECOND, horizon / SECOND],
    expiring: expiring.size,
    renewed: [...expiring.values()].filter((e) => e.renewedAt !== null).length,
    plannerCalls: planned,
    serverCalls: Array.from(f.server.perDevice),
  };
}
