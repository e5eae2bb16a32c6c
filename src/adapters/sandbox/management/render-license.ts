import type { JsonObject } from '../vendor-types.js';
import type { InventoryLicense } from './inventory-license.js';

/** The licence in the shape of the vendor's example (api/003), fields it leaves out included. */
export function renderLicense(l: InventoryLicense): JsonObject {
  const status = !l.enabled ? 'disabled' : l.active ? 'active' : 'inactive';
  return {
    id: l.id,
    status,
    floating_in_use_devices: 0,
    customer: {
      id: l.customer.id,
      email: l.customer.email,
      first_name: l.customer.firstName,
      last_name: l.customer.lastName,
      company_name: l.customer.companyName,
      reference: l.customer.reference,
      labels: l.customer.labels.map((label, i) => ({ id: i + 1, label_id: i + 1, label })),
      customer_account:
        l.customer.account === null
          ? null
          : {
              id: l.customer.account.id,
              name: l.customer.account.name,
              code: l.customer.account.code,
            },
      metadata: {},
    },
    product_features: l.features.map((f) => ({
      id: f.id,
      product_feature: { id: f.id, code: f.code, name: f.code, feature_type: 'activation' },
      expiry_date: null,
      metadata: {},
    })),
    product_custom_fields: [],
    license_users:
      l.userEmail === null
        ? []
        : [{ id: l.id % 100_000, email: l.userEmail, true_email: l.userEmail, is_active: true }],
    order_store_id: l.orderStoreId,
    active_up_to_date_devices: l.devices.length,
    total_active_devices: l.devices.length,
    product: { id: l.product.id, product_name: l.product.name, short_code: l.product.shortCode },
    created_at: l.createdAt,
    updated_at: l.updatedAt,
    license_key: l.licenseKey,
    active: l.active,
    enabled: l.enabled,
    time_activated: l.timeActivated,
    time_disabled: null,
    max_activations: 5,
    times_activated: l.devices.length,
    valid_duration: null,
    validity_period: l.validityPeriod,
    license_type: l.licenseType,
    enable_maintenance_period: false,
    maintenance_duration: null,
    maintenance_period: null,
    is_trial: l.isTrial,
    max_consumptions: l.maxConsumptions,
    total_consumptions: 0,
    subscription_id: null,
    last_check: null,
    prevent_vm: false,
    trial_days: l.isTrial ? 30 : 0,
    is_floating: l.isFloating,
    is_floating_cloud: l.isFloatingCloud,
    floating_users: l.isFloating || l.isFloatingCloud ? 2 : 0,
    note: l.note,
    max_license_users: l.userEmail === null ? 0 : 1,
    transfer_count: 0,
    floating_timeout: null,
    max_transfers: 0,
    is_air_gapped: l.isAirGapped,
    can_borrow: false,
    max_borrow_time: 0,
    is_bundle: false,
    metadata: {},
    order: l.id - 10,
    order_item: l.id + 10,
    disabled_user: null,
    last_activation_device: null,
  };
}
