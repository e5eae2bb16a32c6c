import type { Dispatcher } from 'undici';
import type { Clock, Random, Sleep } from '../../agent/ports.js';
import { nextAttempt, type BackoffPolicy } from '../../domain/backoff.js';
import { exchange } from '../http-client/exchange.js';
import { retryAfterMs } from '../licensespring/vendor-date.js';
import type { ListQuery } from './list-query.js';
import { API_KEY_SETTING, type ManagementFailure } from './management-failure.js';
import { nextStep, startWalk, type ManagementLicense, type PageRequest } from './page-walk.js';
import { parseLicensePage, type LicensePage } from './parse-page.js';

export const LICENSES_PATH = 'api/v1/licenses/';

export interface ManagementClientOptions {
  /** The Management API's root, ending in `/`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  /** `maxRetryAfterMs` bounds a 429's wait; unreachable and 5xx back off with full jitter. */
  readonly policy: BackoffPolicy;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: Random;
  /** Told before each wait, so a person watching knows why nothing moves. */
  readonly onWait?: (ms: number, why: 'rate_limited' | 'unreachable') => void;
}

/** What a listing yields: each page's new licences as it arrives, then how it ended. */
export type ListEvent =
  | {
      readonly kind: 'licenses';
      readonly licenses: readonly ManagementLicense[];
      /** The inventory's size by the last page's `count`. */
      readonly count: number;
      readonly pages: number;
      /** Licences may have been missed or repeated here (an unkeyed order that shifted). */
      readonly shifted: boolean;
    }
  | { readonly kind: 'failed'; readonly failure: ManagementFailure };

type Attempt =
  | { readonly ok: true; readonly page: LicensePage }
  | {
      readonly ok: false;
      readonly failure: ManagementFailure;
      readonly retry: 'no' | 'backoff' | 'after';
      readonly retryAfterMs: number | null;
    };

/** The 100 licences of a page are a few hundred KiB; a body past this is not a page. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface ManagementClient {
  /** One page, retried while the server is unreachable or asks to wait (within bounds). */
  page(query: ListQuery, request: PageRequest, signal: AbortSignal): Promise<Attempt>;
  /** Every licence the query selects, each once, streamed page by page. */
  list(query: ListQuery, limit: number | null, signal: AbortSignal): AsyncGenerator<ListEvent>;
}

export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  const url = new URL(LICENSES_PATH, options.baseUrl);

  async function attempt(
    query: ListQuery,
    request: PageRequest,
    signal: AbortSignal,
  ): Promise<Attempt> {
    const target = new URL(url);
    const params = new URLSearchParams(query.filters.map(([k, v]): [string, string] => [k, v]));
    params.set('order_by', query.orderBy);
    params.set('limit', String(request.limit));
    params.set('offset', String(request.offset));
    target.search = params.toString();
    const answer = await exchange(
      {
        url: target,
        method: 'GET',
        headers: { accept: 'application/json', authorization: `Api-Key ${options.apiKey}` },
        dispatcher: options.dispatcher,
        timeoutMs: options.timeoutMs,
        maxBodyBytes: MAX_BODY_BYTES,
      },
      signal,
    );
    if (answer.kind === 'unreachable') {
      return failed(
        {
          code: 'management_unreachable',
          cause: answer.cause,
          message: `the Management API at ${options.baseUrl} cannot be reached (${answer.cause}${answer.transportCode === null ? '' : `, ${answer.transportCode}`})`,
        },
        answer.cause === 'tls' ? 'no' : 'backoff',
      );
    }
    const { status } = answer;
    if (status === 200) {
      if (answer.oversized) return bad('a page is larger than 8 MiB');
      const parsed = parseLicensePage(answer.body);
      return parsed.ok ? { ok: true, page: parsed.page } : bad(parsed.detail);
    }
    if (status === 401 || status === 403) {
      return failed(
        {
          code: 'management_credentials',
          status,
          message: `the Management API refused the API key (${status}): check ${API_KEY_SETTING} holds a Management API key (LicenseSpring: Settings > Keys), not the License API's key`,
        },
        'no',
      );
    }
    if (status === 429) {
      const header = answer.headers['retry-after'];
      const wait = retryAfterMs(Array.isArray(header) ? header[0] : header, options.clock.now());
      return failed(
        {
          code: 'management_rate_limited',
          retryAfterMs: wait,
          message: `the Management API is rate limited (429${wait === null ? '' : `, Retry-After ${Math.ceil(wait / 1000)} s`})`,
        },
        'after',
        wait,
      );
    }
    if (status >= 500) {
      return failed(
        {
          code: 'management_unreachable',
          cause: 'server_error',
          message: `the Management API answers ${status}`,
        },
        'backoff',
      );
    }
    return failed(
      {
        code: 'management_refused',
        status,
        message: `the Management API refused the listing (${status}${detailOf(answer.body)})`,
      },
      'no',
    );
  }

  async function page(
    query: ListQuery,
    request: PageRequest,
    signal: AbortSignal,
  ): Promise<Attempt> {
    for (let tries = 1; ; tries++) {
      const result = await attempt(query, request, signal);
      if (result.ok || result.retry === 'no') return result;
      const next = nextAttempt(options.policy, tries, result.retryAfterMs, options.random());
      if (next.kind === 'give-up') return { ...result, failure: givenUp(result, next.reason) };
      options.onWait?.(next.delayMs, result.retry === 'after' ? 'rate_limited' : 'unreachable');
      await options.sleep(next.delayMs, signal);
    }
  }

  function givenUp(
    result: Extract<Attempt, { ok: false }>,
    reason: 'attempts_exhausted' | 'retry_after_too_long',
  ): ManagementFailure {
    const f = result.failure;
    if (reason === 'retry_after_too_long' && f.code === 'management_rate_limited') {
      const bound = Math.round(options.policy.maxRetryAfterMs / 1000);
      return {
        ...f,
        message: `${f.message}: longer than licensespring.management.maxRetryAfterSeconds (${bound} s), so the listing stops; try again later`,
      };
    }
    return {
      ...f,
      message: `${f.message}, after ${options.policy.attempts} attempts`,
    };
  }

  async function* list(
    query: ListQuery,
    limit: number | null,
    signal: AbortSignal,
  ): AsyncGenerator<ListEvent> {
    let { state, request } = startWalk(query.orderBy, limit);
    for (let pages = 1; ; pages++) {
      const result = await page(query, request, signal);
      if (!result.ok) {
        yield { kind: 'failed', failure: result.failure };
        return;
      }
      const step = nextStep(state, request, result.page.licenses, result.page.hasNext);
      if (step.kind === 'stuck') {
        yield { kind: 'failed', failure: { code: 'management_bad_answer', message: step.detail } };
        return;
      }
      yield {
        kind: 'licenses',
        licenses: step.emit,
        count: result.page.count,
        pages,
        shifted: step.shifted,
      };
      if (step.kind === 'done') return;
      ({ state, request } = step);
    }
  }

  return { page, list };
}

function failed(
  failure: ManagementFailure,
  retry: 'no' | 'backoff' | 'after',
  retryAfterMs: number | null = null,
): Attempt {
  return { ok: false, failure, retry, retryAfterMs };
}

function bad(detail: string): Attempt {
  return failed(
    { code: 'management_bad_answer', message: `the Management API's answer: ${detail}` },
    'no',
  );
}

/** DRF errors are `{"detail": "..."}`; a short one is worth showing, anything else is not. */
function detailOf(body: string): string {
  try {
    const detail = (JSON.parse(body) as { detail?: unknown }).detail;
    return typeof detail === 'string' && detail.length <= 200 ? `: ${detail}` : '';
  } catch {
    return '';
  }
}
