import { z } from 'zod';
import type { FeatureGrant } from '../../domain/license.js';
import { describe, type ParseResult } from './parse-device-licenses.js';
import { parseVendorInstant } from './vendor-date.js';

const featureCheck = z.looseObject({
  code: z.string().min(1),
  license_id: z.number(),
  expiry_date: z.string().nullable().optional(),
  floating_in_use_devices: z.number().optional(),
});

/** The `check_license_feature` answer: a grant of one feature on one licence. */
export function parseFeatureCheck(body: unknown): ParseResult<FeatureGrant> {
  const parsed = featureCheck.safeParse(body);
  if (!parsed.success) return { ok: false, problem: describe(parsed.error) };
  // The vendor sends "" as readily as null for "does not expire".
  const expiry = parsed.data.expiry_date ?? '';
  const expiresAt = expiry === '' ? null : parseVendorInstant(expiry);
  if (expiry !== '' && expiresAt === null) {
    return { ok: false, problem: `expiry_date: not a date: ${expiry}` };
  }
  return {
    ok: true,
    value: {
      licenseId: parsed.data.license_id,
      code: parsed.data.code,
      expiresAt,
      floatingInUse: parsed.data.floating_in_use_devices ?? null,
    },
  };
}
