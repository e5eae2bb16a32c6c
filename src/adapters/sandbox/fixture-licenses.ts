import type {
  VendorCustomer,
  VendorFeature,
  VendorLicense,
  VendorProductDetails,
} from './vendor-types.js';

/** The sandbox's key-based product: configure the agent with it. */
export const SANDBOX_PRODUCT_CODE = 'edge-suite';
/** A product's authorization method is per product at the vendor, so user-based needs its own. */
export const SANDBOX_USER_PRODUCT_CODE = 'edge-remote';

export const SANDBOX_LICENSE_KEY = 'SBOX-KEYB-ASED-0001';
export const SANDBOX_EXPIRED_LICENSE_KEY = 'SBOX-EXPI-RED0-0002';
export const SANDBOX_LICENSE_USER = 'operator@sandbox.example';

const DAY_MS = 24 * 60 * 60 * 1000;

const product: VendorProductDetails = {
  product_id: 1_700_000_000_000_001,
  product_name: 'Edge Suite',
  short_code: SANDBOX_PRODUCT_CODE,
  authorization_method: 'license-key',
  metadata: {},
};

const customer: VendorCustomer = {
  email: 'plant-ops@sandbox.example',
  company_name: 'Sandbox Manufacturing',
  reference: '',
  phone: '',
  first_name: null,
  last_name: null,
  city: '',
  postcode: '',
  state: '',
  country: '',
  address: '',
  customer_account: null,
  metadata: {},
};

/** The fields of the vendor's example licence (004) that the sandbox's licences share. */
export const commonLicenseFields = {
  license_active: true,
  license_enabled: true,
  is_trial: false,
  max_license_users: 1,
  enable_maintenance_period: false,
  maintenance_period: null,
  allow_grace_period: false,
  grace_period: 0,
  max_activations: 10,
  allow_unlimited_activations: false,
  times_activated: 1,
  start_date: null,
  transfer_count: 0,
  max_transfers: 0,
  allow_overages: false,
  max_overages: 0,
  is_floating_cloud: false,
  is_floating: false,
  floating_timeout: 120,
  can_borrow: false,
  max_borrow_time: 0,
  prevent_vm: false,
  custom_fields: [],
  customer,
  product_details: product,
  metadata: {},
  is_hardware_key_auth: false,
  is_air_gapped: false,
} as const;

export function activation(
  id: number,
  code: string,
  name: string,
  expiry: string | null,
): VendorFeature {
  return {
    id,
    code,
    name,
    feature_type: 'activation',
    expiry_date: expiry,
    metadata: {},
    is_floating: false,
    is_floating_cloud: false,
  };
}

/** `validity_period` is a bare date in the vendor's example. */
export function isoDay(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * The licences every device holds unless a test says otherwise. Dates are relative to the sandbox's
 * clock at start, so they are live whenever it runs: a valid key-based licence with a feature that
 * expires soon and a floating one, an expired licence, and a user-based licence.
 */
export function sandboxLicenses(now: number): VendorLicense[] {
  return [
    {
      ...commonLicenseFields,
      id: 1_700_000_000_000_101,
      order_store_id: 'sandbox-key-based',
      license_type: 'subscription',
      license_key: SANDBOX_LICENSE_KEY,
      is_expired: false,
      validity_period: isoDay(now + 365 * DAY_MS),
      grace_period: 72,
      allow_grace_period: true,
      product_features: [
        activation(1_700_000_000_001_001, 'reporting', 'Reporting', null),
        activation(
          1_700_000_000_001_002,
          'analytics',
          'Analytics',
          new Date(now + 30 * DAY_MS).toISOString(),
        ),
        {
          ...activation(1_700_000_000_001_003, 'opc-ua-connector', 'OPC UA connector', null),
          is_floating_cloud: true,
          floating_users: 2,
          floating_timeout: 120,
        },
      ],
    },
    {
      ...commonLicenseFields,
      id: 1_700_000_000_000_102,
      order_store_id: 'sandbox-expired',
      license_type: 'subscription',
      license_key: SANDBOX_EXPIRED_LICENSE_KEY,
      is_trial: true,
      trial_days: 30,
      is_expired: true,
      validity_period: isoDay(now - 10 * DAY_MS),
      product_features: [activation(1_700_000_000_002_001, 'legacy-export', 'Legacy export', null)],
    },
    {
      ...commonLicenseFields,
      id: 1_700_000_000_000_103,
      order_store_id: 'sandbox-user-based',
      license_type: 'perpetual',
      user: {
        id: 1_700_000_000_009_001,
        email: SANDBOX_LICENSE_USER,
        first_name: 'Sandbox',
        last_name: 'Operator',
        phone_number: '',
        is_initial_password: false,
        max_activations: 3,
        allow_unlimited_activations: false,
        total_activations: 1,
      },
      is_expired: false,
      validity_period: null,
      product_details: {
        ...product,
        product_id: 1_700_000_000_000_002,
        product_name: 'Edge Remote',
        short_code: SANDBOX_USER_PRODUCT_CODE,
        authorization_method: 'user',
      },
      product_features: [
        activation(1_700_000_000_003_001, 'remote-support', 'Remote support', null),
        {
          ...activation(1_700_000_000_003_002, 'cloud-sync', 'Cloud sync credits', null),
          feature_type: 'consumption',
          max_consumption: 1000,
          allow_unlimited_consumptions: false,
          total_consumptions: 120,
          allow_overages: false,
          max_overages: 0,
          reset_consumption: true,
          consumption_period: 'monthly',
        },
      ],
    },
  ];
}
