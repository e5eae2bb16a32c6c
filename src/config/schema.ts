import { isValidCron } from '../adapters/clock/cron-scheduler.js';
import { z } from 'zod';

/**
 * A user name or password in a URL would be shown wherever the URL is (`/v1/status`, the logs,
 * `config validate`), and the License API takes none there anyway.
 */
const NO_USERINFO =
  'must not carry a user name or password (user:pass@): secrets go in files, e.g. licensespring.auth.*.file';

/**
 * The config file's shape, as written by people: every object is strict so that a misspelt key is
 * an error that names it, not a silently ignored line. Defaults live here and nowhere else.
 */
const secret = z
  .strictObject({
    value: z.string().min(1).optional(),
    file: z.string().min(1).optional(),
    credential: z.string().min(1).optional(),
  })
  .refine((s) => [s.value, s.file, s.credential].filter((v) => v !== undefined).length <= 1, {
    message: 'give one of value, file or credential',
  });

const hmacAuth = z.strictObject({
  method: z.literal('hmac'),
  apiKey: secret.default({ credential: 'licensespring-api-key' }),
  sharedKey: secret.default({ credential: 'licensespring-shared-key' }),
});

const oauthAuth = z.strictObject({
  method: z.literal('oauth'),
  clientId: z.string().min(1),
  clientSecret: secret.default({ credential: 'licensespring-client-secret' }),
  tokenUrl: z
    .url({ protocol: /^https?$/ })
    .refine((v) => !hasUserinfo(v), { message: NO_USERINFO })
    .default('https://auth.licensespring.com/realms/user-portal/protocol/openid-connect/token'),
});

/**
 * The LEM token is never written in the config file itself (issue 20: a file or a credential):
 * the config is often world-readable and copied into tickets.
 */
const fileSecret = z
  .strictObject({
    file: z.string().min(1).optional(),
    credential: z.string().min(1).optional(),
  })
  .refine((s) => s.file === undefined || s.credential === undefined, {
    message: 'give one of file or credential',
  });

const SHA256_FINGERPRINT = /^(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$/;

/**
 * How LEM's certificate is trusted. LEM ships a self-signed one, so the system store alone rarely
 * verifies it: give its CA, or pin its SHA-256 fingerprint. Skipping verification is an explicit,
 * warned-about choice.
 */
const lemTls = z
  .strictObject({
    caFile: z.string().min(1).nullable().default(null),
    sha256Fingerprint: z
      .string()
      .regex(SHA256_FINGERPRINT, {
        message: 'must be a SHA-256 fingerprint: 32 hex bytes, AB:CD:… or without colons',
      })
      .nullable()
      .default(null),
    insecureSkipVerify: z.boolean().default(false),
  })
  .refine(
    (t) =>
      [t.caFile !== null, t.sha256Fingerprint !== null, t.insecureSkipVerify].filter(Boolean)
        .length <= 1,
    { message: 'give one of caFile, sha256Fingerprint or insecureSkipVerify' },
  );

/** `licensespring.baseUrl: sandbox` asks for the built-in imitation of the License API. */
export const SANDBOX = 'sandbox';

/**
 * The Management API (issue 21: `fleet licenses`), for licence administrators. Its key is read only
 * by the `fleet` commands, never by `run`: a device needs no management key, and one that holds
 * it would hand every licence of the company to whoever reads the device's disk.
 */
const management = z
  .strictObject({
    /**
     * The Management API's URL, or `sandbox`. Absent: the sandbox's when `licensespring.baseUrl`
     * is `sandbox`, else the vendor's.
     */
    baseUrl: z
      .string()
      .refine((v) => v === SANDBOX || isHttpUrl(v), {
        message: `must be the Management API's http(s) URL, or ${SANDBOX}`,
      })
      .refine((v) => !hasUserinfo(v), { message: NO_USERINFO })
      .optional(),
    apiKey: secret.default({ credential: 'licensespring-management-api-key' }),
    timeoutSeconds: z.number().int().positive().max(300).default(30),
    /** A `Retry-After` longer than this stops the listing instead of waiting it out. */
    maxRetryAfterSeconds: z.number().int().positive().max(3600).default(120),
  })
  .prefault({});

const positiveInt = z.number().int().positive();
const failPolicy = z.enum(['fail-closed', 'fail-open']);

export const configSchema = z.strictObject({
  device: z
    .strictObject({
      /** Fixed hardware ID; replaces the one composed from machine facts. */
      hardwareId: z.string().trim().min(1).max(256).nullable().default(null),
      /**
       * What the machine is, for `prevent_vm` licences: `auto` detects it at each start; the other
       * values are the operator's word for it.
       */
      machine: z.enum(['auto', 'physical', 'virtual_machine', 'container']).default('auto'),
    })
    .prefault({}),
  stateDirectory: z.string().min(1).default('/var/lib/edge-license-agent'),
  licensespring: z
    .strictObject({
      /**
       * The License API's URL, or `sandbox` for the built-in imitation. Required: an agent that
       * silently ran its sandbox would grant example licences to anyone.
       */
      baseUrl: z
        .string()
        .refine((v) => v === SANDBOX || isHttpUrl(v), {
          message: `must be the License API's http(s) URL, or ${SANDBOX}`,
        })
        .refine((v) => !hasUserinfo(v), { message: NO_USERINFO })
        .optional(),
      /** Only licences of this product short code count; null: every licence of the device. */
      /**
       * Keys this device activates itself when `device_licenses` does not list them: each from a
       * file or a systemd credential, never written in the config.
       */
      activate: z
        .array(
          z.strictObject({
            product: z.string().min(1),
            key: z
              .strictObject({
                file: z.string().min(1).optional(),
                credential: z.string().min(1).optional(),
              })
              .refine((k) => (k.file === undefined) !== (k.credential === undefined), {
                message: 'give one of file or credential (a key is never written in the config)',
              }),
          }),
        )
        .max(32)
        .default([]),
      product: z.string().min(1).nullable().default(null),
      auth: z.discriminatedUnion('method', [hmacAuth, oauthAuth]).optional(),
      /**
       * PEM file of the vendor's public key. Absent: the production key shipped with the package.
       * Null turns response verification off, and needs `insecure.allowUnverifiedAnswers`.
       */
      publicKeyFile: z.string().min(1).nullable().optional(),
      features: z.array(z.string().min(1)).default([]),
      featureChecks: z.enum(['auto', 'all', 'none']).default('auto'),
      management,
      /** Each weakens the agent's trust in its answers; each is warned about at every start. */
      insecure: z
        .strictObject({
          /** Plain `http://` to the License API and the OAuth token URL. */
          allowPlainHttp: z.boolean().default(false),
          /** `publicKeyFile: null`: answers are believed without their LicenseSignature. */
          allowUnverifiedAnswers: z.boolean().default(false),
        })
        .prefault({}),
    })
    .superRefine((ls, ctx) => {
      if (ls.baseUrl === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['baseUrl'],
          message: `is required: the License API's URL (e.g. https://api.licensespring.com/api/v4/), or ${SANDBOX} for the built-in imitation with example licences`,
        });
      } else if (ls.baseUrl !== SANDBOX && ls.auth === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['auth'],
          message: 'is required when baseUrl names a real server',
        });
      }
    })
    .prefault({}),
  sync: z
    .strictObject({
      /** Absent: the adaptive cadence decides when to sync (see the interval keys below). */
      schedule: z
        .string()
        .refine((expr) => isValidCron(expr), { message: 'is not a valid cron expression' })
        .optional(),
      splaySeconds: z.number().int().min(0).max(86_400).default(300),
      minIntervalSeconds: positiveInt.min(60).max(86_400).default(300),
      maxIntervalSeconds: positiveInt.min(60).max(86_400).default(3_600),
      dailyCallBudget: positiveInt.max(100_000).default(250),
      timeoutSeconds: positiveInt.max(300).default(15),
      attempts: positiveInt.max(10).default(3),
      backoffBaseMs: positiveInt.default(1_000),
      backoffMaxMs: positiveInt.default(30_000),
      maxRetryAfterSeconds: positiveInt.default(120),
      concurrency: positiveInt.max(32).default(4),
    })
    .refine((sync) => sync.minIntervalSeconds <= sync.maxIntervalSeconds, {
      path: ['minIntervalSeconds'],
      message: 'must not exceed maxIntervalSeconds',
    })
    .prefault({}),
  offline: z
    .strictObject({
      /** How long entitlements outlive the last genuine answer while the server cannot be reached. */
      graceHours: z
        .number()
        .positive()
        .max(24 * 365)
        .default(72),
      /** A wall clock this much behind the highest time seen is reported as moved back. */
      clockRollbackToleranceSeconds: z.number().int().min(0).max(86_400).default(300),
    })
    .prefault({}),
  floating: z
    .strictObject({
      /** A floating seat no local application asked about for this long is given back early. */
      idleReleaseMinutes: positiveInt.max(24 * 60).default(30),
    })
    .prefault({}),
  policy: z
    .strictObject({
      /**
       * What a feature question gets while the agent cannot decide (state `unknown`: first boot,
       * no network, no saved state): `fail-closed` denies, `fail-open` allows.
       */
      whenUnknown: z
        .strictObject({
          default: failPolicy.default('fail-closed'),
          features: z.record(z.string().min(1), failPolicy).default({}),
        })
        .prefault({}),
    })
    .prefault({}),
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(7311),
      /** Bearer token the TCP listener requires; mandatory when `host` is not loopback. */
      token: secret.nullable().default(null),
      /** An optional Unix socket serving the same API, guarded by its file mode and group. */
      socket: z
        .strictObject({
          path: z.string().min(1),
          mode: z
            .string()
            .regex(/^0?[0-7]{3}$/, { message: 'must be an octal file mode such as 0660' })
            .default('0660'),
          group: z.string().min(1).nullable().default(null),
        })
        .nullable()
        .default(null),
    })
    .prefault({}),
  /** Litmus Edge Manager's licence pool; absent or null: LEM is not used. */
  lem: z
    .strictObject({
      /** LEM's https URL, or `sandbox` for the built-in imitation. */
      baseUrl: z
        .string()
        .refine((v) => v === SANDBOX || (URL.canParse(v) && new URL(v).protocol === 'https:'), {
          message: `must be LEM's https URL, or ${SANDBOX}`,
        })
        .refine((v) => !hasUserinfo(v), { message: NO_USERINFO }),
      /** The LEM project whose licence pool this device draws from. */
      projectId: z.string().trim().min(1).optional(),
      token: fileSecret.default({ credential: 'lem-api-token' }),
      /** `basic`: the token as Basic user name (LEM's documented way); `header`: X-AuthToken. */
      authStyle: z.enum(['basic', 'header']).default('basic'),
      tls: lemTls.prefault({}),
      /** This device's ID in LEM; null: found in the pool by this device's MAC address. */
      deviceId: z.string().trim().min(1).nullable().default(null),
      schedule: z
        .string()
        .refine((expr) => isValidCron(expr), { message: 'is not a valid cron expression' })
        .default('*/15 * * * *'),
      splaySeconds: z.number().int().min(0).max(86_400).default(120),
      timeoutSeconds: positiveInt.max(300).default(15),
    })
    .superRefine((lem, ctx) => {
      if (lem.baseUrl !== SANDBOX && lem.projectId === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['projectId'],
          message: "is required when baseUrl names a real LEM: the project's ID in LEM",
        });
      }
    })
    .nullable()
    .default(null),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      /** json for journald and log shippers; pretty: one readable line per event, for a terminal. */
      format: z.enum(['json', 'pretty']).default('json'),
    })
    .prefault({}),
  metrics: z
    .strictObject({
      /**
       * `full`: series per licence and per feature, every process metric. `lean`: the device as a
       * whole and fixed label sets only, for fleets where every series is paid 10,000 times.
       */
      profile: z.enum(['full', 'lean']).default('full'),
    })
    .prefault({}),
  /** Decision changes pushed to applications over Server-Sent Events (GET /v1/events). */
  events: z
    .strictObject({
      maxSubscribers: positiveInt.max(4_096).default(64),
      heartbeatSeconds: positiveInt.max(3_600).default(15),
      maxBacklogKiB: positiveInt.max(65_536).default(256),
    })
    .prefault({}),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type SecretRef = z.output<typeof secret>;

function hasUserinfo(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.username !== '' || url.password !== '';
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}
