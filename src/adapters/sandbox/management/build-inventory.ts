import {
  SANDBOX_EXPIRED_LICENSE_KEY,
  SANDBOX_LICENSE_KEY,
  SANDBOX_LICENSE_USER,
  SANDBOX_PRODUCT_CODE,
  SANDBOX_USER_PRODUCT_CODE,
} from '../fixture-licenses.js';
import type { InventoryLicense } from './inventory-license.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const PRODUCTS = [
  { id: 1_700_000_000_000_001, name: 'Edge Suite', shortCode: SANDBOX_PRODUCT_CODE },
  { id: 1_700_000_000_000_003, name: 'Edge Historian', shortCode: 'edge-historian' },
  { id: 1_700_000_000_000_004, name: 'Edge Vision', shortCode: 'edge-vision' },
] as const;

const COMPANIES = [
  'Acme Plastics',
  'Borealis Steel',
  'Cobalt Foods',
  'Delta Water',
  'Evergreen Mills',
];
const OSES = ['linux', 'linux', 'windows'];

const sandboxCustomer: InventoryLicense['customer'] = {
  id: 100,
  email: 'plant-ops@sandbox.example',
  companyName: 'Sandbox Manufacturing',
  firstName: '',
  lastName: '',
  reference: 'sandbox',
  labels: ['sandbox'],
  account: { id: 10, name: 'Sandbox Manufacturing', code: 'sandbox' },
};

function isoDay(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

function isoSecond(instant: number): string {
  return new Date(Math.floor(instant / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The License API sandbox's own three licences (fixture-licenses.ts: same IDs, keys and dates),
 * as the Management API would list them.
 */
function sandboxDeviceLicenses(now: number): InventoryLicense[] {
  const base = {
    customer: sandboxCustomer,
    createdAt: isoSecond(now - 400 * DAY_MS),
    updatedAt: isoSecond(now - 2 * DAY_MS),
    timeActivated: isoSecond(now - 399 * DAY_MS),
    enabled: true,
    active: true,
    isFloating: false,
    isFloatingCloud: false,
    isAirGapped: false,
    maxConsumptions: 0,
    devices: [],
    note: null,
    anyDevice: true,
  } as const;
  const suite = { ...PRODUCTS[0], authorizationMethod: 'license-key' } as const;
  return [
    {
      ...base,
      id: 1_700_000_000_000_101,
      licenseKey: SANDBOX_LICENSE_KEY,
      product: suite,
      orderStoreId: 'sandbox-key-based',
      licenseType: 'subscription',
      validityPeriod: isoDay(now + 365 * DAY_MS),
      isTrial: false,
      userEmail: null,
      features: [
        { id: 1_700_000_000_001_001, code: 'reporting' },
        { id: 1_700_000_000_001_002, code: 'analytics' },
        { id: 1_700_000_000_001_003, code: 'opc-ua-connector' },
      ],
    },
    {
      ...base,
      id: 1_700_000_000_000_102,
      licenseKey: SANDBOX_EXPIRED_LICENSE_KEY,
      product: suite,
      orderStoreId: 'sandbox-expired',
      licenseType: 'subscription',
      validityPeriod: isoDay(now - 10 * DAY_MS),
      isTrial: true,
      userEmail: null,
      features: [{ id: 1_700_000_000_002_001, code: 'legacy-export' }],
    },
    {
      ...base,
      id: 1_700_000_000_000_103,
      licenseKey: null,
      product: {
        id: 1_700_000_000_000_002,
        name: 'Edge Remote',
        shortCode: SANDBOX_USER_PRODUCT_CODE,
        authorizationMethod: 'user',
      },
      orderStoreId: 'sandbox-user-based',
      licenseType: 'perpetual',
      validityPeriod: null,
      isTrial: false,
      userEmail: SANDBOX_LICENSE_USER,
      features: [
        { id: 1_700_000_000_003_001, code: 'remote-support' },
        { id: 1_700_000_000_003_002, code: 'cloud-sync' },
      ],
    },
  ];
}

/** A small deterministic hash: the same inventory on every start, no randomness to seed. */
function mix(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

/** The `i`th generated licence: other devices of the company's fleet. IDs grow with `i`. */
export function generatedLicense(i: number, now: number): InventoryLicense {
  const h = mix(i);
  const product = PRODUCTS[h % PRODUCTS.length] ?? PRODUCTS[0];
  const company = COMPANIES[(h >>> 3) % COMPANIES.length] ?? 'Acme Plastics';
  const created = now - (1000 - (i % 1000)) * DAY_MS + i * 1000;
  const devices = Array.from({ length: (h >>> 5) % 3 }, (_, d) => ({
    hostname: `edge-${String(i).padStart(5, '0')}-${d}`,
    hardwareId: `${hex(mix(i * 7 + d), 8)}${hex(mix(i * 13 + d), 8)}`,
    os: OSES[(h >>> (7 + d)) % OSES.length] ?? 'linux',
  }));
  const enabled = h % 17 !== 0;
  const key = [hex(h, 4), hex(mix(h), 4), hex(i, 4), hex(mix(i + 1), 4)].join('-').toUpperCase();
  return {
    id: 1_710_000_000_000_000 + i * 1000 + (h % 997),
    licenseKey: key,
    product: { ...product, authorizationMethod: 'license-key' },
    customer: {
      id: 200 + COMPANIES.indexOf(company),
      email: `licences@${company.split(' ')[0]?.toLowerCase() ?? 'acme'}.example`,
      companyName: company,
      firstName: '',
      lastName: '',
      reference: `crm-${(h >>> 3) % COMPANIES.length}`,
      labels: h % 5 === 0 ? ['loyal'] : [],
      account: null,
    },
    orderStoreId: `order-${hex(mix(i * 3), 8)}`,
    licenseType: h % 4 === 0 ? 'perpetual' : 'subscription',
    createdAt: isoSecond(created),
    updatedAt: isoSecond(created + ((h >>> 9) % 90) * DAY_MS),
    timeActivated: devices.length === 0 ? null : isoSecond(created + DAY_MS),
    validityPeriod: h % 4 === 0 ? null : isoDay(created + (365 + ((h >>> 11) % 365)) * DAY_MS),
    enabled,
    active: enabled && devices.length > 0,
    isTrial: h % 11 === 0,
    isFloating: h % 13 === 0,
    isFloatingCloud: h % 19 === 0,
    isAirGapped: h % 23 === 0,
    maxConsumptions: h % 7 === 0 ? 1000 : 0,
    userEmail: null,
    devices,
    note: h % 9 === 0 ? `line ${(h >>> 13) % 12} spare` : null,
    features: [{ id: 1_720_000_000_000_000 + i, code: 'reporting' }],
    anyDevice: false,
  };
}

/** This device's sandbox licences, then `generated` others, in ascending ID order. */
export function buildInventory(now: number, generated: number): InventoryLicense[] {
  const licenses = sandboxDeviceLicenses(now);
  for (let i = 0; i < generated; i++) licenses.push(generatedLicense(i, now));
  return licenses;
}
