import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { request } from 'undici';
import { afterEach, beforeAll } from 'vitest';
import { hmacAuthorization } from '../../../src/adapters/licensespring/request-signing.js';
import { SANDBOX_API_KEY, SANDBOX_SHARED_KEY } from '../../../src/adapters/sandbox/credentials.js';
import {
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../../src/adapters/sandbox/sandbox-server.js';

/** A fixed instant for the sandbox clock, far from the real one, so wall-clock leaks show. */
export const START = Date.parse('2025-03-01T09:00:00Z');

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  readonly body: any;
}

/** The headers a LicenseSpring client sends, signed for the given instant. */
export function signedHeaders(
  at: number,
  keys: { apiKey?: string; sharedKey?: string } = {},
): Record<string, string> {
  const date = new Date(at).toUTCString();
  return {
    Date: date,
    Authorization: hmacAuthorization(
      keys.apiKey ?? SANDBOX_API_KEY,
      keys.sharedKey ?? SANDBOX_SHARED_KEY,
      date,
    ),
  };
}

export async function send(
  url: string,
  options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const answer = await request(url, {
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    body: options.body ?? null,
  });
  const text = await answer.body.text();
  return { status: answer.statusCode, headers: answer.headers, text, body: JSON.parse(text) };
}

export function apiUrl(base: string, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, base);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}

/** A clock the test moves by hand. */
export function manualClock(start = START): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

/**
 * A fresh sandbox for each test that asks for one, closed after it, all signing with one RSA key
 * made once per file (a 2048-bit key takes a while). Call at the top of a test file.
 */
export function sandboxPerTest(): { start(options?: SandboxOptions): Promise<Sandbox> } {
  let privateKey: KeyObject | undefined;
  let running: Sandbox | null = null;
  beforeAll(() => {
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  });
  afterEach(async () => {
    await running?.close();
    running = null;
  });
  return {
    start: async (options = {}) => {
      running = await startSandbox({
        ...(privateKey === undefined ? {} : { privateKey }),
        ...options,
      });
      return running;
    },
  };
}
