/**
 * The License API's bodies as the vendor spells them (snake_case, documents 004 and 002). The
 * sandbox stores licences as plain JSON so a test can serve any shape, including the vendor's own
 * example that breaks the vendor's schema; these types describe the well-formed ones it ships.
 */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type JsonObject = Readonly<Record<string, JsonValue>>;

export type VendorFeature = {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly feature_type: 'activation' | 'consumption';
  readonly expiry_date: string | null;
  readonly metadata: JsonObject;
  readonly is_floating: boolean;
  readonly is_floating_cloud: boolean;
  /** Floating features only. `floating_timeout` is in minutes. */
  readonly floating_users?: number;
  readonly floating_timeout?: number;
  /** Consumption features only. */
  readonly max_consumption?: number;
  readonly allow_unlimited_consumptions?: boolean;
  readonly total_consumptions?: number;
  readonly allow_overages?: boolean;
  readonly max_overages?: number;
  readonly reset_consumption?: boolean;
  readonly consumption_period?: 'daily' | 'weekly' | 'monthly' | 'annualy' | null;
};

export type VendorCustomer = {
  readonly email: string;
  readonly company_name: string | null;
  readonly reference: string;
  readonly phone: string;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly city: string;
  readonly postcode: string;
  readonly state: string;
  readonly country: string;
  readonly address: string;
  readonly customer_account: string | null;
  readonly metadata: JsonObject;
};

export type VendorProductDetails = {
  readonly product_id: number;
  readonly product_name: string;
  readonly short_code: string;
  readonly authorization_method: 'license-key' | 'user';
  readonly metadata: JsonObject;
};

export type VendorLicenseUser = {
  readonly id: number;
  readonly email: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly phone_number: string;
  readonly is_initial_password: boolean;
  readonly max_activations: number;
  readonly allow_unlimited_activations: boolean;
  readonly total_activations: number;
};

type VendorLicenseCommon = {
  readonly id: number;
  readonly order_store_id: string;
  readonly license_active: boolean;
  readonly license_enabled: boolean;
  readonly license_type: string;
  readonly is_trial: boolean;
  /** Absent from the vendor's example, present in its schema; the agent reads it when sent. */
  readonly is_expired: boolean;
  readonly max_license_users: number;
  /** `YYYY-MM-DD`, as in the vendor's example; null for a licence that does not expire. */
  readonly validity_period: string | null;
  readonly enable_maintenance_period: boolean;
  readonly maintenance_period: string | null;
  readonly allow_grace_period: boolean;
  readonly grace_period: number;
  readonly max_activations: number;
  readonly allow_unlimited_activations: boolean;
  readonly times_activated: number;
  readonly start_date: string | null;
  readonly transfer_count: number;
  readonly max_transfers: number;
  readonly allow_overages: boolean;
  readonly max_overages: number;
  readonly is_floating_cloud: boolean;
  readonly is_floating: boolean;
  readonly floating_timeout: number;
  readonly can_borrow: boolean;
  readonly max_borrow_time: number;
  readonly prevent_vm: boolean;
  readonly custom_fields: readonly JsonObject[];
  readonly product_features: readonly VendorFeature[];
  readonly customer: VendorCustomer;
  readonly product_details: VendorProductDetails;
  readonly metadata: JsonObject;
  readonly is_hardware_key_auth: boolean;
  readonly is_air_gapped: boolean;
  /** Floating licences only. */
  readonly floating_users?: number;
  readonly floating_in_use_devices?: number;
  /** Trial licences only. */
  readonly trial_days?: number;
};

/** One element of the `device_licenses` answer: key-based or user-based, never both. */
export type VendorLicense = VendorLicenseCommon &
  ({ readonly license_key: string } | { readonly user: VendorLicenseUser });

/** The 200 body of `check_license_feature` (002). */
export type FeatureCheckBody = {
  readonly allow_negative_consumptions: boolean;
  readonly allow_overages: boolean;
  readonly allow_unlimited_consumptions: boolean;
  readonly code: string;
  readonly consumption_period: string;
  readonly expiry_date: string | null;
  readonly feature_type: string;
  readonly id: number;
  readonly is_floating_cloud: boolean;
  readonly is_floating: boolean;
  readonly license_id: number;
  readonly max_consumption: number;
  readonly max_overages: number;
  readonly metadata: JsonObject;
  readonly name: string;
  readonly reset_consumption: boolean;
  readonly total_consumptions: number;
  /** Floating features only. */
  readonly floating_in_use_devices?: number;
};
