import { maskLicenseKey } from '../../adapters/logging/mask-license-key.js';

type Json = Readonly<Record<string, unknown>>;

/** The columns of the table and the CSV: what an administrator scans a fleet by. */
export const COLUMNS = [
  'id',
  'license_key',
  'product',
  'status',
  'enabled',
  'license_type',
  'validity_period',
  'customer',
  'devices',
  'updated_at',
] as const;

export type Column = (typeof COLUMNS)[number];

/** One licence's column values as text; the key masked unless asked for whole. */
export function columnsOf(json: Json, showKeys: boolean): Record<Column, string> {
  const product = record(json['product']);
  const customer = record(json['customer']);
  const users = Array.isArray(json['license_users']) ? (json['license_users'] as unknown[]) : [];
  const user = text(record(users[0])['true_email']);
  return {
    id: text(json['id']),
    license_key: keyText(json['license_key'], showKeys) || (user === '' ? '' : `user ${user}`),
    product: text(product['short_code'] ?? product['product_name']),
    status: text(json['status']),
    enabled: text(json['enabled']),
    license_type: text(json['license_type']),
    validity_period: text(json['validity_period']),
    customer: text(customer['email'] ?? customer['company_name']),
    devices: text(json['total_active_devices']),
    updated_at: text(json['updated_at']),
  };
}

/** The licence for --json: as the server sent it, its key masked unless asked for whole. */
export function shownLicense(json: Json, showKeys: boolean): Json {
  const key = json['license_key'];
  if (showKeys || typeof key !== 'string') return json;
  return { ...json, license_key: maskLicenseKey(key) };
}

function keyText(key: unknown, showKeys: boolean): string {
  if (typeof key !== 'string') return '';
  return showKeys ? key : maskLicenseKey(key);
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
