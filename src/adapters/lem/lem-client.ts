import type { Dispatcher } from 'undici';
import type { LemApi } from '../../agent/lem-ports.js';
import type { LemOutcome, LemUsedDevice } from '../../domain/lem.js';
import type { UnreachableCause } from '../../domain/upstream-outcome.js';
import { exchange, type Exchange } from '../http-client/exchange.js';
import { checkUploadCsv } from './check-upload-csv.js';
import { lemAuthHeaders, type LemAuthStyle } from './lem-auth.js';
import { outcomeOfStatus } from './lem-status.js';
import { multipartFile } from './multipart.js';
import {
  parseAcknowledgement,
  parseLicenseFeatures,
  parseServerFeatures,
  parseSkus,
  parsePoolStats,
  parseUsedPage,
  type LemParse,
} from './parse-lem-bodies.js';

export interface LemClientOptions {
  /** The LEM server's root, e.g. `https://lem.example:443/`; `/api/v1/…` is appended. */
  readonly baseUrl: string;
  readonly projectId: string;
  readonly token: string;
  readonly authStyle: LemAuthStyle;
  /** Carries the TLS choice: see `lemDispatcher`. */
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
}

/** A report for a large fleet is megabytes; anything past this is not one. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** `used` is paged by LEM; a server that keeps saying "more" past this is not believed. */
const MAX_USED_PAGES = 1000;

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Named in the 400/404 messages. */
  readonly subject: string;
}

/** LEM over undici: one attempt per call, every ending an outcome, the token in no message. */
export function createLemClient(options: LemClientOptions): LemApi {
  const project = `project ${options.projectId}`;
  const auth = lemAuthHeaders(options.token, options.authStyle);

  async function send(call: Call, signal: AbortSignal): Promise<Exchange> {
    const url = new URL(call.path, options.baseUrl);
    url.search = new URLSearchParams({ projectId: options.projectId, ...call.query }).toString();
    return exchange(
      {
        url,
        method: call.method,
        headers: { accept: 'application/json', ...call.headers, ...auth },
        ...(call.body === undefined ? {} : { body: call.body }),
        dispatcher: options.dispatcher,
        timeoutMs: options.timeoutMs,
        maxBodyBytes: MAX_BODY_BYTES,
      },
      signal,
    );
  }

  /** The call's answer as text, or why there is none worth reading. */
  async function answerText(call: Call, signal: AbortSignal): Promise<LemOutcome<string>> {
    const answer = await send(call, signal);
    if (answer.kind === 'unreachable') return unreachable(answer.cause, answer.transportCode);
    if (answer.status < 200 || answer.status > 299) {
      return outcomeOfStatus(answer.status, call.subject);
    }
    if (answer.oversized) return { kind: 'malformed', detail: 'the answer is larger than 16 MiB' };
    return { kind: 'ok', value: answer.body };
  }

  async function json<T>(
    call: Call,
    parse: (body: unknown) => LemParse<T>,
    signal: AbortSignal,
  ): Promise<LemOutcome<T>> {
    const text = await answerText(call, signal);
    if (text.kind !== 'ok') return text;
    let body: unknown;
    try {
      body = JSON.parse(text.value);
    } catch {
      return { kind: 'malformed', detail: `${call.path}: the answer is not JSON` };
    }
    const parsed = parse(body);
    return parsed.ok
      ? { kind: 'ok', value: parsed.value }
      : { kind: 'malformed', detail: `${call.path}: ${parsed.detail}` };
  }

  const jsonBody = (value: unknown): Pick<Call, 'headers' | 'body'> => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });

  const devicesSubject = (ids: readonly string[]): string =>
    ids.length === 0 ? project : `${project}, device ${ids.join(', ')}`;

  const api: LemApi = {
    poolStats: (signal) =>
      json(
        { method: 'GET', path: '/api/v1/device-license-pool/stats', subject: project },
        parsePoolStats,
        signal,
      ),
    skus: (signal) =>
      json(
        { method: 'GET', path: '/api/v1/device-license-pool/skus', subject: project },
        parseSkus,
        signal,
      ),
    usedPage: (pageNum, signal) =>
      json(
        {
          method: 'GET',
          path: '/api/v1/device-license-pool/used',
          query: { pageNum: String(pageNum) },
          subject: project,
        },
        parseUsedPage,
        signal,
      ),
    async allUsed(signal) {
      const devices: LemUsedDevice[] = [];
      for (let pageNum = 0; pageNum < MAX_USED_PAGES; pageNum++) {
        const page = await api.usedPage(pageNum, signal);
        if (page.kind !== 'ok') return page;
        // A server that answers another page than the one asked would loop for ever.
        if (page.value.pageNum !== pageNum) {
          return {
            kind: 'malformed',
            detail: `used: asked page ${pageNum}, got ${page.value.pageNum}`,
          };
        }
        devices.push(...page.value.elements);
        if (pageNum + 1 >= page.value.pagesCount) return { kind: 'ok', value: devices };
      }
      return { kind: 'malformed', detail: `used: more than ${MAX_USED_PAGES} pages` };
    },
    serverFeatures: (signal) =>
      json(
        { method: 'GET', path: '/api/v1/feature', subject: 'the feature catalogue' },
        parseServerFeatures,
        signal,
      ),
    licenseFeatures: (signal) =>
      json(
        {
          method: 'GET',
          path: '/api/v1/licenses2/features',
          subject: "the LEM licence's features",
        },
        parseLicenseFeatures,
        signal,
      ),
    async uploadCsv(fileName, csv, signal) {
      const check = checkUploadCsv(csv);
      if (!check.ok) {
        return {
          kind: 'invalid-input',
          code: 'lem_csv_invalid',
          line: check.line,
          column: check.column,
          message: `${fileName} line ${check.line}${check.column > 0 ? ` column ${check.column}` : ''}: ${check.message}`,
        };
      }
      const form = multipartFile('file', fileName, 'text/csv', csv);
      return json(
        {
          method: 'POST',
          path: '/api/v1/device-license-pool/csv',
          headers: { 'content-type': form.contentType },
          body: form.body,
          subject: project,
        },
        parseAcknowledgement,
        signal,
      );
    },
    reportCsv: (deviceIds, signal) =>
      answerText(
        {
          method: 'POST',
          path: '/api/v1/device-license-pool/all/csv',
          ...jsonBody({ deviceIds }),
          subject: devicesSubject(deviceIds),
        },
        signal,
      ),
    emailReport: (deviceIds, emails, signal) =>
      json(
        {
          method: 'POST',
          path: '/api/v1/device-license-pool/all/csv/email',
          ...jsonBody({ deviceIds, emails }),
          subject: devicesSubject(deviceIds),
        },
        parseAcknowledgement,
        signal,
      ),
  };
  return api;
}

function unreachable(cause: UnreachableCause, transportCode: string | null): LemOutcome<never> {
  if (cause === 'tls') {
    return {
      kind: 'unreachable',
      cause: 'tls',
      status: null,
      transportCode,
      message: `the LEM server's certificate is not trusted (${transportCode ?? 'tls'}): give its CA file or pin its SHA-256 fingerprint`,
    };
  }
  return {
    kind: 'unreachable',
    cause,
    status: null,
    transportCode,
    message: `LEM is unreachable or restarting (${cause}${transportCode === null ? '' : `, ${transportCode}`})`,
  };
}
