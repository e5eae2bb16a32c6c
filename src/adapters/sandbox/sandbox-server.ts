import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import {
  API_PREFIX,
  DEFAULT_TOKEN_TTL_SECONDS,
  SANDBOX_API_KEY,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_SHARED_KEY,
  TOKEN_PATH,
} from './credentials.js';
import { apiError, type FeatureCheckErrorCode } from './errors.js';
import { sandboxLicenses } from './fixture-licenses.js';
import { BodyTooLargeError, readBody, writeReply } from './http-io.js';
import { errorReply, type Reply } from './reply.js';
import {
  DEFAULT_GENERATED_LICENSES,
  ManagementImitation,
  SANDBOX_MANAGEMENT_API_KEY,
} from './management/management-imitation.js';
import { logEntry, type SandboxRequest } from './request-log.js';
import { route, type Routed, type RouterContext } from './router.js';
import { TokenStore } from './tokens.js';
import type { JsonValue, VendorLicense } from './vendor-types.js';
import { activatableLicense } from './activatable-licenses.js';
import { SandboxWorld, type DeviceRefusalCode } from './world.js';

export interface SandboxOptions {
  /** Loopback by default: the sandbox is for tests and `npm start`, never for a network. */
  readonly host?: string;
  /** 0 (the default) lets the system pick a free port. */
  readonly port?: number;
  readonly apiKey?: string;
  readonly sharedKey?: string;
  readonly oauth?: {
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly tokenTtlSeconds?: number;
  };
  /** Signs answers; by default a fresh RSA 2048 key pair per sandbox. */
  readonly privateKey?: KeyObject;
  /** The sandbox's clock, epoch ms. It judges `Date` headers and token expiry, and dates fixtures. */
  readonly now?: () => number;
  /** Licences of devices set up front, by hardware ID. */
  readonly devices?: Readonly<Record<string, readonly JsonValue[]>>;
  /** What every other device holds; `[]` makes unknown devices hold nothing. */
  readonly defaultLicenses?: readonly JsonValue[];
  /** Licences bound to a device only by `activate_license`; by default one, for two devices. */
  readonly activatable?: readonly VendorLicense[];
  /** The Management API imitation: its key, and how many other devices' licences it holds. */
  readonly management?: { readonly apiKey?: string; readonly generatedLicenses?: number };
}

export interface Sandbox {
  /** The License API base URL, ending in `/api/v4/`. */
  readonly url: string;
  readonly origin: string;
  /** The OAuth client-credentials token endpoint. */
  readonly tokenUrl: string;
  /** Verifies `LicenseSignature`: configure the agent with it instead of the vendor's key. */
  readonly publicKeyPem: string;
  readonly credentials: {
    readonly apiKey: string;
    readonly sharedKey: string;
    readonly clientId: string;
    readonly clientSecret: string;
    /** `Authorization: Api-Key …` of the Management API imitation. */
    readonly managementApiKey: string;
  };
  /** The Management API's root (`api/v1/licenses/` beneath it), ending in `/`. */
  readonly managementUrl: string;
  /** The Management API imitation's inventory, for tests to change between pages. */
  readonly management: ManagementImitation;
  /** Every request so far, oldest first. */
  requests(): readonly SandboxRequest[];
  /** Floating slots in use now, per `licenceId/feature` (and `licenceId` for a licence's own). */
  floatingSeats(): Readonly<Record<string, number>>;
  /** How many devices hold an activation of the key (an activatable licence's). */
  activations(key: string): number;
  /** Replaces what `device_licenses` answers for the device, and what its feature checks see. */
  setDeviceLicenses(hardwareId: string, licenses: readonly JsonValue[]): void;
  /** Answers every request about the device with this exception (default `blacklisted`). */
  refuseDevice(hardwareId: string, code?: DeviceRefusalCode): void;
  /** Answers every check of this feature code with this 002 exception. */
  refuseFeature(feature: string, code: FeatureCheckErrorCode): void;
  clearRefusals(): void;
  close(): Promise<void>;
}

const generateRsaKeyPair = promisify(generateKeyPair);
const MAX_LOGGED_REQUESTS = 10_000;

// The sandbox stands in for the vendor's server, whose clock is the wall clock; this is the one
// place it is read, and tests replace it through `now`.
// eslint-disable-next-line no-restricted-syntax -- the sandbox's default clock, see above
const wallClock = (): number => Date.now();

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? wallClock;
  const privateKey = options.privateKey ?? (await generatePrivateKey());
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
  const credentials = {
    apiKey: options.apiKey ?? SANDBOX_API_KEY,
    sharedKey: options.sharedKey ?? SANDBOX_SHARED_KEY,
    clientId: options.oauth?.clientId ?? SANDBOX_CLIENT_ID,
    clientSecret: options.oauth?.clientSecret ?? SANDBOX_CLIENT_SECRET,
    managementApiKey: options.management?.apiKey ?? SANDBOX_MANAGEMENT_API_KEY,
  };
  const management = new ManagementImitation(
    credentials.managementApiKey,
    now(),
    options.management?.generatedLicenses ?? DEFAULT_GENERATED_LICENSES,
  );
  const tokens = new TokenStore(options.oauth?.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, now);
  const world = new SandboxWorld(
    options.defaultLicenses ?? sandboxLicenses(now()),
    options.devices ?? {},
  );
  for (const license of options.activatable ?? [activatableLicense(now())]) {
    if (!('license_key' in license)) continue;
    world.activations.add(
      license.license_key,
      license.product_details.short_code,
      license,
      license.max_activations,
    );
  }
  const context: RouterContext = {
    auth: { apiKey: credentials.apiKey, sharedKey: credentials.sharedKey, tokens, now },
    client: credentials,
    world,
    privateKey,
    management,
  };
  const log: SandboxRequest[] = [];

  const server = createServer((request, response) => {
    // serve() answers every failure it can; one that escapes it leaves only the socket to drop.
    serve(request, response, context, privateKey, log).catch(() => response.destroy());
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: new URL(API_PREFIX, origin).href,
    origin,
    tokenUrl: new URL(TOKEN_PATH, origin).href,
    managementUrl: `${origin}/`,
    management,
    publicKeyPem: publicKeyPem.toString(),
    credentials,
    requests: () => [...log],
    floatingSeats: () => world.floating.inUse(now()),
    activations: (key) => world.activations.activations(key),
    setDeviceLicenses: (hardwareId, licenses) => {
      world.setDeviceLicenses(hardwareId, licenses);
    },
    refuseDevice: (hardwareId, code = 'blacklisted') => {
      world.refuseDevice(hardwareId, code);
    },
    refuseFeature: (feature, code) => {
      world.refuseFeature(feature, code);
    },
    clearRefusals: () => {
      world.clearRefusals();
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        // A keep-alive client (undici's pool) would otherwise hold close() open for seconds.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function generatePrivateKey(): Promise<KeyObject> {
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  return privateKey;
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  context: RouterContext,
  privateKey: KeyObject,
  log: SandboxRequest[],
): Promise<void> {
  const method = request.method ?? 'GET';
  const url = new URL(request.url ?? '/', 'http://sandbox');
  let routed: Routed;
  try {
    routed = await route(
      {
        method,
        url,
        header: (name) => singleHeader(request.headers[name]),
        readBody: () => readBody(request),
      },
      context,
    );
  } catch (error) {
    routed = { reply: unexpected(error), auth: 'none' };
  }
  // Bounded: a sandbox serving `npm start` for weeks must not grow without end.
  if (log.length >= MAX_LOGGED_REQUESTS) log.shift();
  log.push(logEntry(method, url, routed.auth, routed.reply));
  writeReply(response, routed.reply, context.auth.now(), privateKey);
}

function unexpected(error: unknown): Reply {
  if (error instanceof BodyTooLargeError) {
    return errorReply(apiError('payload_too_large', 'The request body is too large', 413));
  }
  const detail = error instanceof Error ? error.message : String(error);
  return errorReply(apiError('internal_error', `Sandbox failure: ${detail}`, 500));
}

/** Node joins most repeated headers but not all; a repeated one is ambiguous, so it is absent. */
function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
