import type { FeatureAnswer, RefreshAnswer, StatusAnswer } from './types.js';

/**
 * Minimal checks of the agent's JSON: the type of every field the client's types promise, and
 * nothing more. Values the client does not know (a new state, an extra field) pass, so an older
 * client keeps working with a newer agent; a different service on the agent's port does not.
 */
type Check = (value: unknown, at: string) => string | null;
type Shape = Readonly<Record<string, Check>>;

const is =
  (what: string, test: (value: unknown) => boolean): Check =>
  (value, at) =>
    test(value) ? null : `${at} is not ${what}`;

const text = is('a string', (v) => typeof v === 'string');
const flag = is('a boolean', (v) => typeof v === 'boolean');
const count = is('a number', (v) => typeof v === 'number' && Number.isFinite(v));

const orNull =
  (check: Check): Check =>
  (value, at) =>
    value === null ? null : check(value, at);

const optional =
  (check: Check): Check =>
  (value, at) =>
    value === undefined ? null : check(value, at);

const listOf =
  (check: Check): Check =>
  (value, at) => {
    if (!Array.isArray(value)) return `${at} is not a list`;
    for (const [index, item] of value.entries()) {
      const problem = check(item, `${at}[${String(index)}]`);
      if (problem !== null) return problem;
    }
    return null;
  };

const shaped =
  (shape: Shape): Check =>
  (value, at) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `${at} is not an object`;
    for (const [key, check] of Object.entries(shape)) {
      const problem = check((value as Record<string, unknown>)[key], `${at}.${key}`);
      if (problem !== null) return problem;
    }
    return null;
  };

const decisionFields = {
  allowed: flag,
  state: text,
  reason: text,
  expiresAt: orNull(text),
  graceEndsAt: orNull(text),
  lastVerifiedAt: orNull(text),
} satisfies Shape;

const featureShape = shaped({
  code: text,
  ...decisionFields,
  licenseId: orNull(count),
  policy: optional(text),
});

const statusShape = shaped({
  version: text,
  ready: flag,
  device: shaped({
    hardwareId: text,
    source: text,
    changedComponents: listOf(text),
    machine: shaped({ kind: text, basis: listOf(text), overridden: flag }),
    ...decisionFields,
  }),
  upstream: shaped({ kind: text, baseUrl: text }),
  sync: shaped({
    schedule: orNull(text),
    splaySeconds: count,
    next: orNull(
      shaped({ at: text, reason: text, boundary: orNull(shaped({ kind: text, at: text })) }),
    ),
    last: orNull(
      shaped({
        result: text,
        finishedAt: orNull(text),
        deviceLicenses: text,
        featureChecks: listOf(shaped({ licenseId: count, feature: text, outcome: text })),
      }),
    ),
  }),
  offline: shaped({
    failing: flag,
    lastFailure: orNull(text),
    lastGenuineAt: orNull(text),
    graceEndsAt: orNull(text),
    graceRemainingSeconds: orNull(count),
    clockRollbacks: count,
    clockBehindSeconds: orNull(count),
    serverSkewSeconds: orNull(count),
  }),
  stateFile: text,
  decidedAt: orNull(text),
  licenses: listOf(
    shaped({
      licenseId: count,
      product: text,
      type: text,
      trial: flag,
      ...decisionFields,
      features: listOf(text),
    }),
  ),
  features: listOf(featureShape),
});

const refreshShape = shaped({ result: text, finishedAt: text, deviceLicenses: text });

const errorShape = shaped({ error: shaped({ code: text, message: text }) });

/** Thrown by the readers below; the client reports it as `bad_answer`. */
export class ShapeError extends Error {}

function expectShape(body: unknown, check: Check): void {
  const problem = check(body, 'answer');
  if (problem !== null) throw new ShapeError(problem);
}

/** A feature answer, frozen: the cache hands the same object to every caller. */
export function readFeatureAnswer(body: unknown, code: string): FeatureAnswer {
  expectShape(body, featureShape);
  const answer = body as FeatureAnswer;
  if (answer.code !== code) throw new ShapeError(`answer.code is not "${code}"`);
  return Object.freeze(answer);
}

export function readStatusAnswer(body: unknown): StatusAnswer {
  expectShape(body, statusShape);
  return body as StatusAnswer;
}

/** A refresh's report: what it answers with a 200, and beside its error when the sync failed. */
export function readRefreshAnswer(body: unknown): RefreshAnswer {
  expectShape(body, refreshShape);
  const { result, finishedAt, deviceLicenses } = body as RefreshAnswer;
  return { result, finishedAt, deviceLicenses };
}

/** The agent's error, `{"error":{"code","message"}}`; null when the body is not one. */
export function readAgentError(body: unknown): { code: string; message: string } | null {
  return errorShape(body, 'answer') === null
    ? (body as { error: { code: string; message: string } }).error
    : null;
}
