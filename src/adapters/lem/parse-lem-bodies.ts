import { z } from 'zod';
import type {
  LemAcknowledgement,
  LemLicenseFeature,
  LemPoolStats,
  LemServerFeature,
  LemSku,
  LemUsedLicense,
  LemUsedPage,
} from '../../domain/lem.js';

/** A body read against its schema: the value, or what was wrong (paths and kinds, no values). */
export type LemParse<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly detail: string };

// Objects are loose on purpose: LEM adds fields between releases and the agent reads only these.
const count = z.number().int().nonnegative();
const epochMs = z.number().int().nullable().optional();
const text = z.string().nullable().optional();

const statsSchema = z.looseObject({ active: count, used: count, unused: count, expired: count });

const skuSchema = z.looseObject({
  licenseSku: z.string().min(1),
  count,
  isCore: z.boolean().optional(),
  core: z.boolean().optional(),
});

const usedLicenseSchema = z.looseObject({
  id: z.string().min(1),
  licenseKey: text,
  licenseSku: z.string().min(1),
  status: z.string(),
  activationDate: epochMs,
  expiryDate: epochMs,
  expiryFeatureDate: epochMs,
  isCore: z.boolean().optional(),
  core: z.boolean().optional(),
  isTrial: z.boolean().optional(),
  trial: z.boolean().optional(),
});

const usedDeviceSchema = z.looseObject({
  projectId: z.string().min(1),
  deviceId: z.string().min(1),
  deviceName: text,
  deviceFriendlyName: text,
  macAddress: text,
  expiryFeatureDate: epochMs,
  licenses: z.array(usedLicenseSchema),
});

const usedPageSchema = z.looseObject({
  pageNum: count,
  pagesCount: count,
  totalSize: count,
  elements: z.array(usedDeviceSchema),
});

const serverFeatureSchema = z.looseObject({
  name: z.string().min(1),
  description: text,
  type: z.string(),
  // The document shows 1/0; a boolean is accepted too.
  enabled: z.union([z.literal(0), z.literal(1), z.boolean()]),
});

const licenseFeatureSchema = z.looseObject({
  name: z.string().min(1),
  desc: text,
  expires: text,
  expiresTimestamp: epochMs,
  count: z.number().int(),
  limited: z.boolean(),
  enabled: z.boolean(),
});

const acknowledgementSchema = z.looseObject({ code: z.string().min(1), message: text });

function read<S extends z.ZodType, T>(
  schema: S,
  body: unknown,
  map: (parsed: z.infer<S>) => T,
): LemParse<T> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: map(result.data) };
  const detail = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.code}`)
    .join('; ');
  return { ok: false, detail };
}

const bool = (a: boolean | undefined, b: boolean | undefined): boolean => a ?? b ?? false;

export const parsePoolStats = (body: unknown): LemParse<LemPoolStats> =>
  read(statsSchema, body, (s) => ({
    active: s.active,
    used: s.used,
    unused: s.unused,
    expired: s.expired,
  }));

export const parseSkus = (body: unknown): LemParse<readonly LemSku[]> =>
  read(z.array(skuSchema), body, (skus) =>
    skus.map((s) => ({ licenseSku: s.licenseSku, count: s.count, isCore: bool(s.isCore, s.core) })),
  );

function usedLicense(l: z.infer<typeof usedLicenseSchema>): LemUsedLicense {
  return {
    id: l.id,
    licenseKey: l.licenseKey ?? null,
    licenseSku: l.licenseSku,
    status: l.status,
    activationDate: l.activationDate ?? null,
    expiryDate: l.expiryDate ?? null,
    expiryFeatureDate: l.expiryFeatureDate ?? null,
    isCore: bool(l.isCore, l.core),
    isTrial: bool(l.isTrial, l.trial),
  };
}

export const parseUsedPage = (body: unknown): LemParse<LemUsedPage> =>
  read(usedPageSchema, body, (page) => ({
    pageNum: page.pageNum,
    pagesCount: page.pagesCount,
    totalSize: page.totalSize,
    elements: page.elements.map((d) => ({
      projectId: d.projectId,
      deviceId: d.deviceId,
      deviceName: d.deviceName ?? null,
      deviceFriendlyName: d.deviceFriendlyName ?? null,
      macAddress: d.macAddress ?? null,
      expiryFeatureDate: d.expiryFeatureDate ?? null,
      licenses: d.licenses.map(usedLicense),
    })),
  }));

export const parseServerFeatures = (body: unknown): LemParse<readonly LemServerFeature[]> =>
  read(z.array(serverFeatureSchema), body, (features) =>
    features.map((f) => ({
      name: f.name,
      description: f.description ?? null,
      type: f.type,
      enabled: f.enabled === true || f.enabled === 1,
    })),
  );

export const parseLicenseFeatures = (body: unknown): LemParse<readonly LemLicenseFeature[]> =>
  read(z.array(licenseFeatureSchema), body, (features) =>
    features.map((f) => ({
      name: f.name,
      description: f.desc ?? null,
      expiresAt: f.expiresTimestamp ?? (f.expires ? Date.parse(f.expires) || null : null),
      count: f.count,
      limited: f.limited,
      enabled: f.enabled,
    })),
  );

export const parseAcknowledgement = (body: unknown): LemParse<LemAcknowledgement> =>
  read(acknowledgementSchema, body, (a) => ({ code: a.code, message: a.message ?? null }));
