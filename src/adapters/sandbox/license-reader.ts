import { z } from 'zod';
import type { JsonValue } from './vendor-types.js';

/*
 * What `check_license_feature` needs from a stored licence. Tests may store any JSON (the vendor's
 * own example lacks fields its schema requires), so licences are read leniently here and one that
 * cannot be read simply matches no feature check, as a licence the server does not have.
 */
const metadata = z.record(z.string(), z.json());

const featureSchema = z.looseObject({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  feature_type: z.string(),
  expiry_date: z.string().nullable().optional(),
  metadata: metadata.optional(),
  is_floating: z.boolean().optional(),
  is_floating_cloud: z.boolean().optional(),
  floating_users: z.number().optional(),
  floating_timeout: z.number().optional(),
  max_consumption: z.number().optional(),
  allow_unlimited_consumptions: z.boolean().optional(),
  total_consumptions: z.number().optional(),
  allow_overages: z.boolean().optional(),
  max_overages: z.number().optional(),
  reset_consumption: z.boolean().optional(),
  consumption_period: z.string().nullable().optional(),
});

const licenseSchema = z.looseObject({
  id: z.number(),
  license_key: z.string().optional(),
  user: z.looseObject({ email: z.string() }).optional(),
  license_enabled: z.boolean(),
  license_active: z.boolean(),
  floating_timeout: z.number().optional(),
  floating_users: z.number().optional(),
  product_details: z.looseObject({ short_code: z.string() }),
  product_features: z.array(featureSchema),
});

export type StoredFeature = z.infer<typeof featureSchema>;
export type StoredLicense = z.infer<typeof licenseSchema>;

export function readLicense(json: JsonValue): StoredLicense | null {
  const parsed = licenseSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
