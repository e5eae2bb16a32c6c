import { z } from 'zod';
import type { SavedState } from '../../agent/state-ports.js';
import type { RefusalCode } from '../../domain/refusal.js';
import type { FailureReason } from '../../domain/trust-timeline.js';

// The domain's codes are types only; these objects list them at run time. `satisfies` a mapped
// type makes the compiler reject a missing or an extra code, so a code added to the domain
// fails the build here instead of making every saved state with it unloadable.
const refusalCodes = {
  unknown_product: 'unknown_product',
  license_not_found: 'license_not_found',
  license_disabled: 'license_disabled',
  license_not_active: 'license_not_active',
  device_not_found: 'device_not_found',
  device_blacklisted: 'device_blacklisted',
  feature_not_on_license: 'feature_not_on_license',
  floating_slots_exhausted: 'floating_slots_exhausted',
  refused_other: 'refused_other',
} as const satisfies { readonly [K in RefusalCode]: K };

const failureReasons = {
  connection_refused: 'connection_refused',
  connection_reset: 'connection_reset',
  dns: 'dns',
  timeout: 'timeout',
  server_error: 'server_error',
  rate_limited: 'rate_limited',
  network: 'network',
  tls: 'tls',
  proxy: 'proxy',
  missing_signature: 'missing_signature',
  bad_signature: 'bad_signature',
  malformed_json: 'malformed_json',
  wrong_shape: 'wrong_shape',
  foreign_answer: 'foreign_answer',
  stale_answer: 'stale_answer',
  untimely_answer: 'untimely_answer',
  unrecognised_error: 'unrecognised_error',
  date_header_diff: 'date_header_diff',
  signature_mismatch: 'signature_mismatch',
  hmac_required: 'hmac_required',
  authorization_invalid_headers: 'authorization_invalid_headers',
  missing_headers: 'missing_headers',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
} as const satisfies { readonly [K in FailureReason]: K };

/** z.number() is finite in zod 4: NaN and Infinity never pass. */
const instant = z.number();

const evidence = z.strictObject({
  body: z.string(),
  signature: z.string().nullable(),
});

const savedAnswer = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('genuine'), evidence, verifiedAt: instant }),
  z.strictObject({ kind: z.literal('refused'), code: z.enum(refusalCodes), verifiedAt: instant }),
]);

// The defaults read a state saved before the agent kept them (no format version bump): no
// monotonic reading means the saved instant is only a floor, and no correction was counted.
const trustTimeline = z.strictObject({
  lastGenuineAt: instant.nullable(),
  highestTrustedAt: instant,
  highestMonotonic: z.number().nonnegative().nullable().default(null),
  failingSince: instant.nullable(),
  lastFailure: z.enum(failureReasons).nullable(),
  serverSkewMs: z.number().nullable(),
  clockRollbacks: z.number().int().nonnegative(),
  clockBehindMs: z.number().nullable(),
  timeCorrections: z.number().int().nonnegative().default(0),
});

/** The kernel's boot ID: a UUID, as /proc/sys/kernel/random/boot_id gives it. */
const bootId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/**
 * The saved state, strictly: every object rejects unknown keys. It is checked after decryption,
 * so a mismatch here means an agent bug or a version mix-up, and is still refused, not guessed.
 */
export const savedStateSchema = z.strictObject({
  hardwareId: z.string().min(1),
  deviceLicenses: savedAnswer.nullable(),
  featureChecks: z
    .array(
      z.strictObject({
        licenseId: z.number().int(),
        code: z.string(),
        answer: savedAnswer,
      }),
    )
    .readonly(),
  trust: trustTimeline,
  bootId: bootId.nullable().default(null),
  savedAt: instant,
});

// Both directions: the schema neither loses a field of SavedState nor accepts less than it.
type Parsed = z.output<typeof savedStateSchema>;
export const toSavedState = (parsed: Parsed): SavedState => parsed;
const _accepts = (state: SavedState): z.input<typeof savedStateSchema> => state;

/** The first problem, as `path: message`; zod's messages name types, never the values found. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
