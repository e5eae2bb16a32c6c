/**
 * The filters `GET /api/v1/licenses/` documents (api/003, with the underscores the flattened copy
 * lost restored from the vendor's page). The server ignores a parameter it does not know, as
 * django-filter does, and answers the whole inventory: so nothing outside this list is ever sent.
 */

/** What a lookup is written after the field: `''` is the exact match. */
export type Lookup =
  | ''
  | 'icontains'
  | 'startswith'
  | 'in'
  | 'isnull'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'date__gt'
  | 'date__gte'
  | 'date__lt'
  | 'date__lte';

/** What a value must look like before it is sent. */
export type ValueKind = 'text' | 'integer' | 'boolean' | 'date-time' | 'date' | 'list';

const EXACT_TEXT = [
  'license_key',
  'order__store_id',
  'order__customer_account',
  'order__customer_account__name',
  'order__customer_account__code',
  'customer_email',
  // The spelling the project's API notes use (api/README.md); the vendor's page says customer_email.
  'customer__email',
  'customer__account',
  'customer__account__name',
  'customer__account__code',
  'customer__account__description',
  'customer__account__phone',
  'customer__account__address',
  'customer__account__email',
  'customer__account__reference',
  'product_short_code',
  'product__authorization_method',
  'license_users__true_email',
  'devices__hostname',
  'devices__hardware_id',
  'devices__os',
  'subscription_id',
  'license_template__code',
  'license_user_group',
] as const;

const EXACT_INTEGER = [
  'customer_id',
  'product_id',
  'product_features__id',
  'license_users__id',
  'license_template_id',
] as const;

const ICONTAINS = [
  'license_key',
  'order__store_id',
  'order__customer_account__name',
  'order__customer_account__code',
  'customer_email',
  'customer__email',
  'customer_company_name',
  'customer_name',
  'customer__reference',
  'customer__account__name',
  'customer__account__code',
  'customer__account__description',
  'customer__account__phone',
  'customer__account__address',
  'customer__account__email',
  'customer__account__reference',
  'product_name',
  'license_users__true_email',
  'devices__hostname',
  'devices__hardware_id',
  'devices__os',
  'license_template__code',
  'note',
] as const;

const STARTSWITH = ['license_key', 'order__store_id'] as const;
const IN = ['product_short_code', 'customer__label'] as const;
const DATED = ['validity_period', 'time_activated', 'updated_at', 'created_at'] as const;
const BOOLEAN = [
  'enabled',
  'is_any_floating',
  'is_air_gapped',
  'is_bundle',
  'is_trial',
  'has_max_consumptions',
  'is_hardware_key_auth',
  'active',
] as const;
const ISNULL = ['bundle_license', 'customer__account'] as const;

const DATE_LOOKUPS = ['gt', 'gte', 'lt', 'lte'] as const;

/** Every documented filter parameter, by its full name (`field__lookup`), with its value's kind. */
export const FILTERS: ReadonlyMap<string, ValueKind> = new Map<string, ValueKind>([
  ...EXACT_TEXT.map((f) => [f, 'text'] as const),
  ...EXACT_INTEGER.map((f) => [f, 'integer'] as const),
  ...ICONTAINS.map((f) => [`${f}__icontains`, 'text'] as const),
  ...STARTSWITH.map((f) => [`${f}__startswith`, 'text'] as const),
  ...IN.map((f) => [`${f}__in`, 'list'] as const),
  ...DATED.flatMap((f) => [
    ...DATE_LOOKUPS.map((op) => [`${f}__${op}`, 'date-time'] as const),
    ...DATE_LOOKUPS.map((op) => [`${f}__date__${op}`, 'date'] as const),
  ]),
  ...BOOLEAN.map((f) => [f, 'boolean'] as const),
  ...ISNULL.map((f) => [`${f}__isnull`, 'boolean'] as const),
]);

/** The documented lookups, longest first so that `date__gt` is recognised before `gt`. */
export const LOOKUPS: readonly Exclude<Lookup, ''>[] = [
  'date__gte',
  'date__lte',
  'date__gt',
  'date__lt',
  'icontains',
  'startswith',
  'isnull',
  'gte',
  'lte',
  'in',
  'gt',
  'lt',
];

/**
 * The licence's own attributes `order_by` is documented for ("which attribute", example
 * `created_at`): the scalar fields of the documented licence object.
 */
export const ORDER_FIELDS: readonly string[] = [
  'id',
  'status',
  'created_at',
  'updated_at',
  'license_key',
  'active',
  'enabled',
  'time_activated',
  'time_disabled',
  'max_activations',
  'times_activated',
  'valid_duration',
  'validity_period',
  'license_type',
  'maintenance_period',
  'is_trial',
  'max_consumptions',
  'total_consumptions',
  'subscription_id',
  'last_check',
  'prevent_vm',
  'trial_days',
  'is_floating',
  'is_floating_cloud',
  'floating_users',
  'note',
  'max_license_users',
  'transfer_count',
  'max_transfers',
  'is_air_gapped',
  'is_bundle',
  'order_store_id',
  'total_active_devices',
];

/** The page size the server caps every request at, without an error. */
export const MAX_PAGE_SIZE = 100;
