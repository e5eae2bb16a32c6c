import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentView } from '../../agent/agent-view.js';
import type { FeatureQuestions } from '../../agent/ports.js';
import type { Decisions, FeatureDecision } from '../../domain/decision.js';
import type { EventHub, StreamFormat } from './event-hub.js';
import { ofrepEvaluation, ofrepFailure, type OfrepErrorCode } from './ofrep-mapping.js';
import { parseJsonBody, readJsonBytes, type JsonBody } from './read-body.js';
import { sendError, sendJson } from './reply.js';
import type { Route } from './routes.js';

/** Where the OFREP provider sends its requests: `baseUrl + '/ofrep/v1/evaluate/flags'`. */
export const OFREP_FLAGS_PATH = '/ofrep/v1/evaluate/flags';

/** OFREP's change notifications (ADR-0008), advertised in every bulk answer's `eventStreams`. */
export const OFREP_EVENTS_PATH = '/ofrep/v1/events';

/**
 * OpenFeature Remote Evaluation Protocol: single-flag and bulk evaluation of licence features as
 * boolean flags. The request's `context` is checked but plays no part: a licence belongs to the
 * device, not to whoever asks.
 */
export function ofrepRoutes(
  view: AgentView,
  questions: FeatureQuestions = () => undefined,
  events: EventHub | null = null,
): Route[] {
  // The hot path: a decision is immutable, so its OFREP answer is serialised once.
  const answers = new WeakMap<FeatureDecision, string>();
  const answerFor = (key: string, decision: FeatureDecision | null): [number, string] => {
    if (decision === null) {
      const notFound = ofrepEvaluation(key, null);
      return [notFound.status, JSON.stringify(notFound.body)];
    }
    let body = answers.get(decision);
    if (body === undefined) {
      const answer = ofrepEvaluation(key, decision);
      body = JSON.stringify(answer.body);
      answers.set(decision, body);
    }
    return [200, body];
  };
  const bulkBodies = new WeakMap<Decisions, { readonly body: string; readonly etag: string }>();
  const readEvaluationRequest = evaluationRequestReader();

  /**
   * A feature the device has never had: none of its licences carries it and nobody configured it.
   * Only a genuine licence list can say that, and the domain then calls the code `not_licensed`;
   * before any answer (`unknown`) or when the server refuses the device, the decision stands.
   */
  const lookup = (key: string): FeatureDecision | null => {
    if (key.includes('/')) return null;
    const listed = view.listedFeature(key);
    if (listed !== undefined) {
      questions('ofrep', key, listed.allowed);
      return listed;
    }
    const decision = view.feature(key);
    // FLAG_NOT_FOUND leaves the application with its default: counted as a denial, as the
    // decision for an unlisted code is one. LEM's licence not listing the feature is the same.
    const notFound =
      decision.reason === 'not_licensed' || decision.reason === 'lem_feature_unknown';
    questions('ofrep', null, decision.allowed && !notFound);
    return notFound ? null : decision;
  };

  // Decisions are immutable, so the bulk body and its ETag are made once per decisions object.
  const bulk = (decisions: Decisions) => {
    let cached = bulkBodies.get(decisions);
    if (cached === undefined) {
      const flags = decisions.features.map((f) => ofrepEvaluation(f.code, f).body);
      const body = JSON.stringify({ flags });
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      cached = { body, etag };
      bulkBodies.set(decisions, cached);
    }
    return cached;
  };

  // ADR-0008: a notification only, `refetchEvaluation` with the ETag of the answer to re-fetch,
  // in an SSE `message` event; the provider then asks the bulk endpoint again.
  const notifications: StreamFormat = {
    kind: 'ofrep',
    greeting: () => ': ofrep change notifications\n\n',
    changes: (changes, id) => {
      const at = changes[0]?.at;
      if (at === undefined) return null;
      const data = {
        type: 'refetchEvaluation',
        etag: bulk(view.decisions()).etag,
        lastModified: Math.floor(at / 1000),
      };
      return {
        text: `id: ${String(id)}\nevent: message\ndata: ${JSON.stringify(data)}\n\n`,
        events: 1,
      };
    },
  };
  const withStreams = (body: string, req: IncomingMessage): string => {
    if (events === null) return body;
    // The URL the provider reached the agent by: on TCP the browser guard has checked the Host
    // against the agent's own names; on the Unix socket the provider's transport decides anyway.
    const url = `http://${req.headers.host ?? 'localhost'}${OFREP_EVENTS_PATH}`;
    // No inactivityDelaySec: a local application is never "backgrounded"; absent means keep it.
    return `${body.slice(0, -1)},"eventStreams":${JSON.stringify([{ type: 'sse', url }])}}`;
  };

  return [
    ...(events === null
      ? []
      : [
          {
            method: 'GET',
            path: OFREP_EVENTS_PATH,
            handler: (req, res) => {
              events.serve(req, res, notifications);
            },
          } satisfies Route,
        ]),
    {
      method: 'POST',
      path: `${OFREP_FLAGS_PATH}/`,
      prefix: true,
      handler: (req, res, key, fail) => {
        readEvaluationRequest(req, res, fail, (request) => {
          if (request.kind === 'invalid') {
            const failure = ofrepFailure(key, request.code, request.details);
            sendJson(res, failure.status, JSON.stringify(failure.body));
            return;
          }
          const [status, body] = answerFor(key, lookup(key));
          sendJson(res, status, body);
        });
      },
    },
    {
      method: 'POST',
      path: OFREP_FLAGS_PATH,
      handler: (req, res, _key, fail) => {
        readEvaluationRequest(req, res, fail, (request) => {
          if (request.kind === 'invalid') {
            const body = { errorCode: request.code, errorDetails: request.details };
            sendJson(res, 400, JSON.stringify(body));
            return;
          }
          const { body, etag } = bulk(view.decisions());
          if (matchesEtag(req.headers['if-none-match'], etag)) {
            res.writeHead(304, { etag });
            res.end();
            return;
          }
          sendJson(res, 200, withStreams(body, req), { etag });
        });
      },
    },
  ];
}

type EvaluationRequest =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalid'; readonly code: OfrepErrorCode; readonly details: string };

/** Bodies up to this size are remembered once found valid. */
const REMEMBERED_BODY_BYTES = 1024;
const OK: EvaluationRequest = { kind: 'ok' };

/**
 * Reads `{ "context": { … } }` (context optional; an empty body is `{}`). A client sends the same
 * body again and again (the provider sends its evaluation context with every flag), so the last
 * body found valid is remembered, and the same bytes again are not decoded and parsed again.
 * A body refused before OFREP has a say (too large, not JSON by its type) gets the local API's
 * own error; `answer` hears only of bodies OFREP judges.
 */
function evaluationRequestReader() {
  let lastValid: Buffer | null = null;
  const judge = (bytes: Buffer): EvaluationRequest => {
    if (lastValid !== null && bytes.equals(lastValid)) return OK;
    const request = evaluationRequest(parseJsonBody(bytes));
    // A copy: the bytes read are a view of the socket's buffer.
    if (request.kind === 'ok' && bytes.length <= REMEMBERED_BODY_BYTES)
      lastValid = Buffer.from(bytes);
    return request;
  };
  return (
    req: IncomingMessage,
    res: ServerResponse,
    fail: (res: ServerResponse, error: unknown) => void,
    answer: (request: EvaluationRequest) => void,
  ): void => {
    readJsonBytes(req, (read) => {
      // An event listener: what it throws would otherwise take the agent down.
      try {
        if (read.ok) answer(judge(read.bytes));
        else sendError(res, read.error);
      } catch (error) {
        fail(res, error);
      }
    });
  };
}

function evaluationRequest(read: JsonBody): EvaluationRequest {
  if (!read.ok) {
    return { kind: 'invalid', code: 'PARSE_ERROR', details: 'the body is not valid JSON' };
  }
  if (!isObject(read.value)) {
    return { kind: 'invalid', code: 'PARSE_ERROR', details: 'the body is not a JSON object' };
  }
  const context = read.value.context;
  if (context !== undefined && !isObject(context)) {
    return { kind: 'invalid', code: 'INVALID_CONTEXT', details: '"context" is not an object' };
  }
  return OK;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 9110 If-None-Match: a list of tags or `*`, compared weakly. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
