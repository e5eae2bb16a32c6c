import { LOOKUPS } from '../../management/filter-catalogue.js';
import type { InventoryLicense } from './inventory-license.js';

type Value = string | number | boolean | null;
type Accessor = (l: InventoryLicense) => readonly Value[];

/** The documented filter fields the imitation answers, each read off a licence. */
const FIELDS: Readonly<Record<string, Accessor>> = {
  id: (l) => [l.id],
  license_key: (l) => [l.licenseKey],
  active: (l) => [l.active],
  enabled: (l) => [l.enabled],
  order__store_id: (l) => [l.orderStoreId],
  customer_id: (l) => [l.customer.id],
  customer_email: (l) => [l.customer.email],
  customer__email: (l) => [l.customer.email],
  customer_company_name: (l) => [l.customer.companyName],
  customer_name: (l) => [`${l.customer.firstName} ${l.customer.lastName}`.trim()],
  customer__reference: (l) => [l.customer.reference],
  customer__label: (l) => l.customer.labels,
  customer__account: (l) => [l.customer.account?.id ?? null],
  customer__account__name: (l) => [l.customer.account?.name ?? null],
  customer__account__code: (l) => [l.customer.account?.code ?? null],
  product_id: (l) => [l.product.id],
  product_short_code: (l) => [l.product.shortCode],
  product_name: (l) => [l.product.name],
  product__authorization_method: (l) => [l.product.authorizationMethod],
  product_features__id: (l) => l.features.map((f) => f.id),
  license_users__true_email: (l) => [l.userEmail],
  devices__hostname: (l) => l.devices.map((d) => d.hostname),
  devices__hardware_id: (l) => l.devices.map((d) => d.hardwareId),
  devices__os: (l) => l.devices.map((d) => d.os),
  note: (l) => [l.note],
  validity_period: (l) => [l.validityPeriod],
  time_activated: (l) => [l.timeActivated],
  updated_at: (l) => [l.updatedAt],
  created_at: (l) => [l.createdAt],
  is_trial: (l) => [l.isTrial],
  is_any_floating: (l) => [l.isFloating || l.isFloatingCloud],
  is_air_gapped: (l) => [l.isAirGapped],
  is_bundle: () => [false],
  bundle_license: () => [null],
  has_max_consumptions: (l) => [l.maxConsumptions > 0],
  is_hardware_key_auth: () => [false],
};

type Lookup = (typeof LOOKUPS)[number] | 'exact';

/** Query parameters that are not filters. */
const PAGING = new Set(['limit', 'offset', 'order_by']);

export type Predicate = (l: InventoryLicense) => boolean;

/**
 * The predicates of the query's filters. Unknown parameters are ignored, as django-filter does:
 * the real server answers the whole inventory to a misspelt filter, and so does the imitation.
 * `devices__hardware_id=X` for a device the inventory does not list matches the sandbox device's
 * own licences, which `device_licenses` grants to every such device.
 */
export function predicatesOf(
  query: URLSearchParams,
  isListedDevice: (hardwareId: string) => boolean,
): Predicate[] {
  const predicates: Predicate[] = [];
  for (const [name, raw] of query) {
    if (PAGING.has(name)) continue;
    const lookup: Lookup = LOOKUPS.find((op) => name.endsWith(`__${op}`)) ?? 'exact';
    const field = lookup === 'exact' ? name : name.slice(0, -(lookup.length + 2));
    const read = Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
    if (read === undefined) continue;
    const test = matcher(lookup, raw);
    if (field === 'devices__hardware_id' && lookup === 'exact' && !isListedDevice(raw)) {
      predicates.push((l) => l.anyDevice);
      continue;
    }
    predicates.push((l) => read(l).some(test));
  }
  return predicates;
}

function matcher(lookup: Lookup, raw: string): (v: Value) => boolean {
  const lower = raw.toLowerCase();
  switch (lookup) {
    case 'exact':
      return (v) => (typeof v === 'boolean' ? v === asBoolean(raw) : String(v) === raw);
    case 'icontains':
      return (v) => v !== null && String(v).toLowerCase().includes(lower);
    case 'startswith':
      return (v) => v !== null && String(v).startsWith(raw);
    case 'in': {
      const items = new Set(raw.split(','));
      return (v) => v !== null && items.has(String(v));
    }
    case 'isnull':
      return (v) => (v === null) === asBoolean(raw);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compare(lookup, Date.parse(raw), (v) => Date.parse(String(v)));
    case 'date__gt':
    case 'date__gte':
    case 'date__lt':
    case 'date__lte':
      return compare(lookup.slice(6) as 'gt', Date.parse(raw.slice(0, 10)), (v) =>
        Date.parse(String(v).slice(0, 10)),
      );
    default: {
      const never: never = lookup;
      return never;
    }
  }
}

function compare(
  op: 'gt' | 'gte' | 'lt' | 'lte',
  bound: number,
  read: (v: Value) => number,
): (v: Value) => boolean {
  return (v) => {
    if (v === null || Number.isNaN(bound)) return false;
    const x = read(v);
    if (op === 'gt') return x > bound;
    if (op === 'gte') return x >= bound;
    if (op === 'lt') return x < bound;
    return x <= bound;
  };
}

function asBoolean(raw: string): boolean {
  return raw === 'true' || raw === 'True' || raw === '1';
}
