import { Agent } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import {
  createManagementClient,
  type ListEvent,
  type ManagementClient,
} from '../../../src/adapters/management/management-client.js';
import type { ListQuery } from '../../../src/adapters/management/list-query.js';
import type { ManagementLicense } from '../../../src/adapters/management/page-walk.js';
import type { ManagementFailure } from '../../../src/adapters/management/management-failure.js';
import { startSandbox, type Sandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { START } from '../sandbox/sandbox-http.js';

export interface Harness {
  readonly sandbox: () => Sandbox;
  readonly dispatcher: Agent;
}

/** One sandbox (303 licences: this device's 3 and 300 others) for the file's tests. */
export function managementSandbox(): Harness {
  let sandbox: Sandbox | undefined;
  const dispatcher = new Agent();
  beforeAll(async () => {
    sandbox = await startSandbox({ now: () => START });
  });
  afterAll(async () => {
    await dispatcher.close();
    await sandbox?.close();
  });
  return {
    sandbox: () => {
      if (sandbox === undefined) throw new Error('the sandbox is not started');
      return sandbox;
    },
    dispatcher,
  };
}

export interface ClientSetup {
  readonly apiKey?: string;
  readonly maxRetryAfterMs?: number;
}

/** A client whose waits are recorded, not slept: tests step no real time. */
export function clientFor(
  harness: Harness,
  setup: ClientSetup = {},
): { client: ManagementClient; waits: number[] } {
  const sandbox = harness.sandbox();
  const waits: number[] = [];
  const client = createManagementClient({
    baseUrl: sandbox.managementUrl,
    apiKey: setup.apiKey ?? sandbox.credentials.managementApiKey,
    dispatcher: harness.dispatcher,
    timeoutMs: 5_000,
    policy: {
      attempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      maxRetryAfterMs: setup.maxRetryAfterMs ?? 120_000,
    },
    clock: { now: () => START, monotonic: () => 0 },
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
  });
  return { client, waits };
}

export interface Listing {
  readonly licenses: ManagementLicense[];
  readonly failure: ManagementFailure | null;
  readonly shifted: boolean;
}

/** Drains a listing; `between` runs after each page, to change the inventory under it. */
export async function drain(
  events: AsyncGenerator<ListEvent>,
  between: (page: number) => void = () => undefined,
): Promise<Listing> {
  const licenses: ManagementLicense[] = [];
  let failure: ManagementFailure | null = null;
  let shifted = false;
  for await (const event of events) {
    if (event.kind === 'failed') {
      failure = event.failure;
      continue;
    }
    licenses.push(...event.licenses);
    shifted ||= event.shifted;
    between(event.pages);
  }
  return { licenses, failure, shifted };
}

export function query(filters: ListQuery['filters'] = [], orderBy = 'id'): ListQuery {
  return { filters, orderBy };
}
