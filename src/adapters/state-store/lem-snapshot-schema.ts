import { z } from 'zod';
import type { LemSnapshot } from '../../domain/lem-snapshot.js';

// What lem-state.json's plaintext must be. Authentic content is ours, so a mismatch is a bug or
// a version mix-up, and the file is refused rather than read in part.

const when = z.number().nullable();
const outcome = z
  .object({
    at: z.number(),
    kind: z.enum(['ok', 'refused', 'unreachable', 'malformed', 'invalid-input']),
    label: z.string().max(64),
    message: z.string().nullable(),
  })
  .strict()
  .nullable();
const part = <T extends z.ZodType>(value: T) =>
  z.object({ value: value.nullable(), okAt: when, last: outcome }).strict();

const usedLicense = z
  .object({
    id: z.string(),
    // Never saved: a key on disk would be one more place to leak it from.
    licenseKey: z.null(),
    licenseSku: z.string(),
    status: z.string(),
    activationDate: when,
    expiryDate: when,
    expiryFeatureDate: when,
    isCore: z.boolean(),
    isTrial: z.boolean(),
  })
  .strict();
const usedDevice = z
  .object({
    projectId: z.string(),
    deviceId: z.string(),
    deviceName: z.string().nullable(),
    deviceFriendlyName: z.string().nullable(),
    macAddress: z.string().nullable(),
    expiryFeatureDate: when,
    licenses: z.array(usedLicense),
  })
  .strict();

export const lemSnapshotSchema = z
  .object({
    stats: part(
      z
        .object({ active: z.number(), used: z.number(), unused: z.number(), expired: z.number() })
        .strict(),
    ),
    skus: part(
      z.array(
        z.object({ licenseSku: z.string(), count: z.number(), isCore: z.boolean() }).strict(),
      ),
    ),
    used: part(z.object({ devices: z.number().int(), own: z.array(usedDevice) }).strict()),
    serverFeatures: part(
      z.array(
        z
          .object({
            name: z.string(),
            description: z.string().nullable(),
            type: z.string(),
            enabled: z.boolean(),
          })
          .strict(),
      ),
    ),
    licenseFeatures: part(
      z.array(
        z
          .object({
            name: z.string(),
            description: z.string().nullable(),
            expiresAt: when,
            count: z.number(),
            limited: z.boolean(),
            enabled: z.boolean(),
          })
          .strict(),
      ),
    ),
  })
  .strict() satisfies z.ZodType<LemSnapshot>;
