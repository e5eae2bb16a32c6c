/** One licence of the imitated inventory, compact: rendered to the vendor's shape per page. */
export interface InventoryLicense {
  readonly id: number;
  readonly licenseKey: string | null;
  readonly product: {
    readonly id: number;
    readonly name: string;
    readonly shortCode: string;
    readonly authorizationMethod: 'license-key' | 'user';
  };
  readonly customer: {
    readonly id: number;
    readonly email: string;
    readonly companyName: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly reference: string;
    readonly labels: readonly string[];
    readonly account: { readonly id: number; readonly name: string; readonly code: string } | null;
  };
  readonly orderStoreId: string;
  readonly licenseType: 'perpetual' | 'subscription' | 'time-limited';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly timeActivated: string | null;
  /** A bare date, as in the vendor's example. */
  readonly validityPeriod: string | null;
  readonly enabled: boolean;
  readonly active: boolean;
  readonly isTrial: boolean;
  readonly isFloating: boolean;
  readonly isFloatingCloud: boolean;
  readonly isAirGapped: boolean;
  readonly maxConsumptions: number;
  readonly userEmail: string | null;
  readonly devices: readonly {
    readonly hostname: string;
    readonly hardwareId: string;
    readonly os: string;
  }[];
  readonly note: string | null;
  readonly features: readonly { readonly id: number; readonly code: string }[];
  /**
   * One of the License API sandbox's own licences: held by every device the inventory does not
   * list, as `device_licenses` grants them to every device nobody set up.
   */
  readonly anyDevice: boolean;
}
