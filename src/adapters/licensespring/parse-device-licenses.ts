import { z } from 'zod';
import type { FeatureType, License, LicenseFeature } from '../../domain/license.js';
import { parseVendorInstant } from './vendor-date.js';

/**
 * Strict about what the agent relies on, tolerant of everything else: the vendor's own example
 * body misses 16 fields its schema calls required and carries undeclared ones, so unknown and
 * absent fields that decide nothing are accepted (loose objects, defaults).
 */
const instant = z
  .string()
  .nullable()
  .optional()
  .transform((text, ctx) => {
    if (text === null || text === undefined || text === '') return null;
    const at = parseVendorInstant(text);
    if (at === null) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${text}` });
      return z.NEVER;
    }
    return at;
  });

const feature = z.looseObject({
  code: z.string().min(1),
  name: z.string().optional(),
  feature_type: z.enum(['activation', 'consumption']),
  expiry_date: instant,
  is_floating: z.boolean().optional(),
  is_floating_cloud: z.boolean().optional(),
  floating_timeout: z.number().nullable().optional(),
});

const license = z.looseObject({
  id: z.number(),
  license_key: z.string().min(1).nullable().optional(),
  user: z
    .looseObject({ email: z.string().min(1) })
    .nullable()
    .optional(),
  license_active: z.boolean(),
  license_enabled: z.boolean(),
  license_type: z.string(),
  is_trial: z.boolean().optional(),
  is_expired: z.boolean().optional(),
  validity_period: instant,
  allow_grace_period: z.boolean().optional(),
  grace_period: z.number().min(0).optional(),
  is_floating: z.boolean().optional(),
  is_floating_cloud: z.boolean().optional(),
  prevent_vm: z.boolean().optional(),
  floating_timeout: z.number().nullable().optional(),
  product_details: z.looseObject({
    short_code: z.string(),
    product_name: z.string().optional(),
  }),
  product_features: z.array(feature).default([]),
});

const deviceLicenses = z.array(license);

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseDeviceLicenses(body: unknown): ParseResult<readonly License[]> {
  const parsed = deviceLicenses.safeParse(body);
  if (!parsed.success) return { ok: false, problem: describe(parsed.error) };
  const licenses: License[] = [];
  for (const raw of parsed.data) {
    const key = raw.license_key ?? null;
    const user = raw.user?.email ?? null;
    if (key === null && user === null) {
      return { ok: false, problem: `licence ${String(raw.id)} has neither license_key nor user` };
    }
    licenses.push({
      id: raw.id,
      key,
      user,
      productCode: raw.product_details.short_code,
      productName: raw.product_details.product_name ?? raw.product_details.short_code,
      type: raw.license_type,
      enabled: raw.license_enabled,
      active: raw.license_active,
      trial: raw.is_trial ?? false,
      expired: raw.is_expired ?? false,
      validUntil: raw.validity_period,
      graceHours: raw.allow_grace_period === true ? (raw.grace_period ?? 0) : 0,
      floating: raw.is_floating === true || raw.is_floating_cloud === true,
      preventVm: raw.prevent_vm === true,
      ...minutes(raw.floating_timeout),
      features: raw.product_features.map((f): LicenseFeature => ({
        code: f.code,
        name: f.name ?? f.code,
        type: f.feature_type satisfies FeatureType,
        expiresAt: f.expiry_date,
        floating: f.is_floating === true || f.is_floating_cloud === true,
        ...minutes(f.floating_timeout),
      })),
    });
  }
  return { ok: true, value: licenses };
}

/**
 * `floating_timeout` when it says something: the Management API's example sends null, and 0 or
 * less would make a seat lapse before it could be renewed.
 */
function minutes(value: number | null | undefined): { floatingTimeoutMinutes?: number } {
  return value !== null && value !== undefined && value > 0
    ? { floatingTimeoutMinutes: value }
    : {};
}

export function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'unexpected shape';
  return `${first.path.map(String).join('.') || '(body)'}: ${first.message}`;
}
