/**
 * Malformed requests for the local API, drawn from a seeded PRNG: the same seed gives the same
 * requests, so a failure names a request that can be sent again.
 */

export const VALID_PATH = '/v1/features/reporting';
const REFRESH = '/v1/refresh';
// OFREP may not be served yet: its paths then answer 404, which the expectations allow.
const OFREP_BULK = '/ofrep/v1/evaluate/flags';
const OFREP_ONE = '/ofrep/v1/evaluate/flags/reporting';
const MAX_HEADERS = 16 * 1024;
const MAX_BODY = 64 * 1024;
const REFRESH_STATUSES = [200, 429, 502];

export interface Expectation {
  /** Acceptable statuses for the answer to the malformed part. */
  readonly statuses: readonly number[] | 'any';
  /** The connection may end without an answer: it never got far enough to have one. */
  readonly silenceOk: boolean;
  /** OFREP answers a bad evaluation request in its own shape, `{errorCode, errorDetails}`. */
  readonly ofrep: boolean;
  /** Valid feature questions sent first on the same connection: each must be answered right. */
  readonly validFirst: number;
  /** The answer itself must be the valid feature answer (legal but unusual requests). */
  readonly validAnswer: boolean;
  /**
   * A valid question sent next on the same keep-alive connection must be answered right: a
   * refused body leaves the connection usable, or the server closes it and says so.
   */
  readonly validAfter: boolean;
}

interface Common {
  readonly id: number;
  readonly kind: string;
  /** Sent to the Unix socket instead of TCP. */
  readonly unix: boolean;
  readonly expect: Expectation;
}

/** Bytes on a socket, HTTP or not. */
export interface RawCase extends Common {
  readonly via: 'raw';
  readonly bytes: Buffer;
  readonly finish: 'end' | 'reset';
}

/** Well-formed HTTP that asks for something wrong, sent with undici. */
export interface WellFormedCase extends Common {
  readonly via: 'undici';
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | null;
  /** Sent without a length, as chunks. */
  readonly chunked: boolean;
}

export type FuzzCase = RawCase | WellFormedCase;

/** mulberry32: small, fast, and good enough to pick requests. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (p: number): boolean => next() < p;
  const ascii = (length: number, alphabet = PRINTABLE): string =>
    Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  const bytes = (length: number): Buffer =>
    Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
  return { next, int, pick, chance, ascii, bytes };
}
type Random = ReturnType<typeof prng>;

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const PATH_SAFE = "abcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%";

function expectation(partial: Partial<Expectation> = {}): Expectation {
  return {
    statuses: 'any',
    silenceOk: false,
    ofrep: false,
    validFirst: 0,
    validAnswer: false,
    validAfter: false,
    ...partial,
  };
}

function request(
  method: string,
  path: string,
  headers: readonly string[] = [],
  body: Buffer | string = '',
): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, 'Host: localhost', ...headers].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
}

const validRequest = (): Buffer => request('GET', VALID_PATH);

/** Paths no route has, or has only by accident, ASCII-only so undici will send them too. */
function oddPath(r: Random): string {
  switch (r.int(0, 9)) {
    case 0:
      return `/v1/features/${r.pick(['%E0%A4%A', '%', '%zz', '%C0%AF', '%FF%FE', '%u0041', '%%32%65'])}${r.ascii(r.int(0, 8), PATH_SAFE)}`;
    case 1:
      return r.pick([
        '/../../etc/passwd',
        '/v1/features/../../../../etc/passwd',
        '/v1/features/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
        '/./v1/./features/reporting',
        '//v1//features//reporting',
        '/v1/features/reporting/',
        '/v1/features/',
        '/V1/FEATURES/REPORTING',
        '/v1/features/%2F',
        '/v1/features/%00',
        '/healthz/..',
      ]);
    case 2:
      return `/${r.ascii(r.int(9_000, 11_000), PATH_SAFE)}`;
    case 3:
      return `/v1/features/${r.ascii(r.int(1_000, 10_000), PATH_SAFE)}`;
    case 4:
      return `/v1/features/${encodeURIComponent(String.fromCodePoint(...Array.from({ length: 6 }, () => r.pick([r.int(0x80, 0xd7ff), r.int(0xe000, 0x2ffff)]))))}`;
    case 5:
      return `${VALID_PATH}?${r.ascii(r.int(1, 200), PATH_SAFE)}`;
    case 6:
      return `/ofrep/${r.ascii(r.int(0, 40), PATH_SAFE)}`;
    default:
      // At least one character: `/` itself is the status page, an HTML answer by design.
      return `/${r.ascii(r.int(1, 60), PATH_SAFE)}`;
  }
}

const INVALID_JSON: readonly ((r: Random) => string | Buffer)[] = [
  () => '{',
  () => '{"context":',
  () => '{"context": {}',
  () => "{'context': {}}",
  () => '{"context": {},}',
  () => '{"context": NaN}',
  () => 'undefined',
  () => '\uFEFF{"context":{}}',
  () => '{"context": {"targetingKey": "\\uD800"}',
  (r) => '['.repeat(r.int(1_000, 20_000)),
  () => `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  (r) => r.bytes(r.int(1, 2_000)),
  (r) => r.ascii(r.int(1, 500)),
  () => '{"context": "not an object"}',
  () => 'null',
  () => '[]',
  () => '"context"',
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'json',
  'application/octet-stream',
  'text/json ',
  'application',
];

/** Answers to POST bodies: refresh ignores its body; OFREP reads it. */
function bodyTarget(r: Random): { path: string; ofrep: boolean } {
  const key = r.ascii(r.int(1, 12), 'abcdefghijklmnopqrstuvwxyz0123456789-_.');
  const path = r.pick([REFRESH, OFREP_BULK, OFREP_ONE, `${OFREP_BULK}/${key}`]);
  return { path, ofrep: path !== REFRESH };
}

type Generator = (r: Random) => Omit<RawCase, 'id' | 'unix'> | Omit<WellFormedCase, 'id' | 'unix'>;

function raw(
  kind: string,
  bytes: Buffer,
  expect: Expectation,
  finish: 'end' | 'reset' = 'end',
): Omit<RawCase, 'id' | 'unix'> {
  return { via: 'raw', kind, bytes, expect, finish };
}

function wellFormed(
  kind: string,
  method: string,
  path: string,
  expect: Expectation,
  extra: { headers?: Record<string, string>; body?: Buffer; chunked?: boolean } = {},
): Omit<WellFormedCase, 'id' | 'unix'> {
  return {
    via: 'undici',
    kind,
    method,
    path,
    expect,
    headers: extra.headers ?? {},
    body: extra.body ?? null,
    chunked: extra.chunked ?? false,
  };
}

/** The mix: weight, then how to make one. */
const GENERATORS: readonly (readonly [number, Generator])[] = [
  [900, (r) => raw('garbage bytes', r.bytes(r.int(1, 2_000)), expectation({ statuses: [400] }))],
  [
    900,
    (r) => {
      const method = r.pick([
        'BREW',
        'get',
        'Get',
        'DELETE',
        'PUT',
        'PATCH',
        'OPTIONS',
        'TRACE',
        'PROPFIND',
        'PURGE',
        'GETT',
        '',
        'G\u0001T',
        'A'.repeat(1_000),
        r.ascii(r.int(1, 40), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      ]);
      return raw(
        'bad method',
        request(method, r.pick([VALID_PATH, REFRESH, '/healthz'])),
        expectation(),
      );
    },
  ],
  [700, (r) => raw('odd path', request('GET', oddPath(r)), expectation())],
  [
    500,
    (r) => {
      const path = r.pick([
        `/v1/features/${r.bytes(r.int(1, 30)).toString('latin1')}`,
        `/v1/features/report ing`,
        `/v1/features/\u0000`,
        `v1/features/reporting`,
        `/v1/features/${'é'.repeat(r.int(1, 50))}`,
        '*',
        'http://evil.example/v1/features/reporting',
      ]);
      return raw('odd request target', request('GET', path), expectation());
    },
  ],
  [
    800,
    (r) => {
      const variant = r.int(0, 11);
      const post = (headers: string[], body = '') => request('POST', OFREP_BULK, headers, body);
      switch (variant) {
        case 0: // HTTP/1.1 demands a Host header; the answer must still be JSON.
          return raw(
            'no Host header',
            Buffer.from(`GET ${VALID_PATH} HTTP/1.1\r\n\r\n`),
            // 400 (Node's rule) or an answer (the local API has no use for Host): JSON either way.
            expectation(),
          );
        case 1: // Only 100-continue is an expectation HTTP knows.
          return raw(
            'unknown Expect',
            request('GET', VALID_PATH, [`Expect: ${r.pick(['teapot', '200-ok', 'x'])}`]),
            expectation(),
          );
        case 2:
          return raw(
            'bad version',
            Buffer.from(
              `GET ${VALID_PATH} ${r.pick(['HTTP/9.9', 'HTTP/1.x', 'HTTP/', 'HTTPS/1.1', 'http/1.1', 'HTTP/1.1 extra'])}\r\nHost: a\r\n\r\n`,
            ),
            expectation(),
          );
        case 3:
          return raw(
            'bare LF line ends',
            Buffer.from(`GET ${VALID_PATH} HTTP/1.1\nHost: a\n\n`),
            expectation(),
          );
        case 4:
          return raw(
            'bad header name',
            request('GET', VALID_PATH, [`${r.pick(['Bad Header', 'X(', '', 'X\u0000'])}: value`]),
            expectation(),
          );
        case 5:
          return raw(
            'control bytes in a header value',
            request('GET', VALID_PATH, [
              `X-Value: a${String.fromCharCode(r.pick([0, 1, 8, 127]))}b`,
            ]),
            expectation(),
          );
        case 6:
          return raw(
            'Content-Length and chunked',
            post(['Content-Length: 5', 'Transfer-Encoding: chunked'], '0\r\n\r\n'),
            expectation(),
          );
        case 7:
          return raw(
            'bad Content-Length',
            post([
              `Content-Length: ${r.pick(['abc', '-1', '1e3', '99999999999999999999', '5, 6'])}`,
            ]),
            expectation(),
          );
        case 8:
          return raw(
            'two Content-Lengths',
            post(['Content-Length: 2', 'Content-Length: 3'], '{}'),
            expectation(),
          );
        case 9:
          return raw(
            'bad chunk',
            post(
              ['Content-Type: application/json', 'Transfer-Encoding: chunked'],
              r.pick(['zz\r\n{}\r\n0\r\n\r\n', '2\r\n{}0\r\n\r\n', 'ffffffffffffffff\r\n{}\r\n']),
            ),
            expectation(),
          );
        case 10:
          return raw(
            'unknown Transfer-Encoding',
            post(['Transfer-Encoding: gzip'], '{}'),
            expectation(),
          );
        default:
          return raw(
            'folded header',
            request('GET', VALID_PATH, ['X-Folded: a', ' continued']),
            expectation(),
          );
      }
    },
  ],
  [
    600,
    (r) => {
      const headers = r.chance(0.5)
        ? [`X-Huge: ${r.ascii(r.int(MAX_HEADERS + 100, 40_000), 'abcdefghij')}`]
        : Array.from({ length: r.int(1_100, 3_000) }, (_, i) => `X-Many-${i}: ${r.ascii(12)}`);
      const bytes = r.chance(0.85)
        ? request('GET', VALID_PATH, headers)
        : request('GET', `/${r.ascii(r.int(MAX_HEADERS + 100, 30_000), 'abc')}`);
      return raw('headers over 16 KiB', bytes, expectation({ statuses: [431] }));
    },
  ],
  [
    400,
    (r) => {
      // Legal, just many: the answer must be the normal one.
      const count = r.int(50, 900);
      const headers = Array.from({ length: count }, (_, i) => `x-${i}: ${r.ascii(4, 'abc')}`);
      return raw(
        'many headers under the limit',
        request('GET', VALID_PATH, headers),
        expectation({ statuses: [200], validAnswer: true }),
      );
    },
  ],
  [
    1200,
    (r) => {
      const { path, ofrep } = bodyTarget(r);
      const body = Buffer.from(r.pick(INVALID_JSON)(r));
      return wellFormed(
        'invalid JSON body',
        'POST',
        path,
        expectation({ statuses: ofrep ? [400, 404] : REFRESH_STATUSES, ofrep, validAfter: true }),
        { headers: { 'content-type': 'application/json' }, body },
      );
    },
  ],
  [
    600,
    (r) => {
      const { path, ofrep } = bodyTarget(r);
      return wellFormed(
        'wrong content type',
        'POST',
        path,
        // A refresh refuses them too: a browser page may send text/plain anywhere unasked.
        expectation({ statuses: ofrep ? [415, 404] : [415], ofrep, validAfter: true }),
        { headers: { 'content-type': r.pick(CONTENT_TYPES) }, body: Buffer.from('{"context":{}}') },
      );
    },
  ],
  [
    500,
    (r) => {
      const chunked = r.chance(0.4);
      const { path, ofrep } = chunked
        ? bodyTarget(r)
        : { path: r.pick([REFRESH, OFREP_BULK, OFREP_ONE, VALID_PATH, '/nowhere']), ofrep: false };
      const body = Buffer.alloc(r.int(MAX_BODY + 1, 4 * MAX_BODY), 0x20);
      // With a length, it is refused before routing; streamed, OFREP refuses it as it reads.
      const statuses = !chunked ? [413] : ofrep ? [413, 404] : REFRESH_STATUSES;
      return wellFormed(
        'body over 64 KiB',
        'POST',
        path,
        expectation({ statuses, ofrep, silenceOk: true, validAfter: true }),
        { headers: { 'content-type': 'application/json' }, body, chunked },
      );
    },
  ],
  [
    800,
    (r) => {
      const [method, path] = r.pick([
        [
          r.pick(['DELETE', 'PUT', 'PATCH', 'OPTIONS', 'POST']),
          r.pick([VALID_PATH, '/healthz', '/readyz', '/v1/status', '/v1/features', '/metrics']),
        ],
        [r.pick(['GET', 'DELETE', 'PUT']), r.pick([REFRESH, OFREP_BULK, OFREP_ONE])],
        [r.pick(['BREW', 'PROPFIND', 'MKCOL', 'LOCK', 'SEARCH']), r.pick([VALID_PATH, REFRESH])],
      ] as const);
      const ofrep = path.startsWith('/ofrep/');
      return wellFormed(
        'wrong method',
        method,
        path,
        expectation({ statuses: [400, 405, ...(ofrep ? [404] : [])], ofrep }),
      );
    },
  ],
  [600, (r) => wellFormed('odd path (undici)', 'GET', oddPath(r), expectation())],
  [
    700,
    (r) => {
      const whole = r.pick([
        validRequest(),
        request('POST', REFRESH, ['Content-Length: 20'], '{"context":{"a":1}} '),
        request(
          'POST',
          OFREP_ONE,
          ['Content-Type: application/json', 'Content-Length: 14'],
          '{"context":{}}',
        ),
        request(
          'POST',
          OFREP_BULK,
          ['Transfer-Encoding: chunked'],
          'e\r\n{"context":{}}\r\n0\r\n\r\n',
        ),
      ]);
      const cut = r.int(1, whole.length - 1);
      return raw('truncated', whole.subarray(0, cut), expectation({ silenceOk: true }));
    },
  ],
  [
    300,
    (r) => {
      const whole = r.chance(0.5)
        ? validRequest()
        : request('POST', OFREP_BULK, ['Content-Length: 100'], '{"con');
      return raw(
        'reset mid-request',
        whole.subarray(0, r.int(0, whole.length)),
        expectation({ silenceOk: true }),
        'reset',
      );
    },
  ],
  [
    460,
    (r) => {
      const valid = r.int(1, 5);
      const junk = r.pick([
        // 0x01 first: a leading CR or LF alone would be skipped as an empty line, not junk.
        Buffer.concat([Buffer.from([1]), r.bytes(r.int(0, 200))]),
        Buffer.from(`BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n`),
        Buffer.from(`GET /v1/features/a b HTTP/1.1\r\n\r\n`),
        Buffer.from(`GET ${VALID_PATH} HTTP/1.1\r\nX: ${'a'.repeat(MAX_HEADERS + 10)}\r\n\r\n`),
      ]);
      const bytes = Buffer.concat([
        ...Array.from({ length: valid }, validRequest),
        junk,
        validRequest(),
      ]);
      // After the junk the server closes the connection: the last valid request is never read.
      return raw('pipelined junk', bytes, expectation({ validFirst: valid, statuses: [400, 431] }));
    },
  ],
  [
    40,
    () =>
      raw(
        'CONNECT',
        Buffer.from('CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n'),
        // Node drops a CONNECT nobody listens for without a word.
        expectation({ silenceOk: true }),
      ),
  ],
];

/** `count` malformed requests, a quarter of them to the Unix socket. */
export function malformedRequests(seed: number, count: number): FuzzCase[] {
  const r = prng(seed);
  const total = GENERATORS.reduce((sum, [weight]) => sum + weight, 0);
  return Array.from({ length: count }, (_, id) => {
    let roll = r.next() * total;
    const [, generate] = GENERATORS.find(([weight]) => (roll -= weight) < 0) ?? GENERATORS[0]!;
    return { ...generate(r), id, unix: r.chance(0.25) };
  });
}

/** What a slow sender dribbles: a valid request, one byte at a time. */
export const SLOW_REQUEST = request('GET', VALID_PATH, [`X-Slow: ${'s'.repeat(64)}`]);

/** A short, printable description of a case, to find it again. */
export function describeCase(c: FuzzCase): string {
  const where = c.unix ? 'unix' : 'tcp';
  if (c.via === 'undici') {
    const body =
      c.body === null
        ? ''
        : ` body ${c.body.length} B${c.chunked ? ' chunked' : ''}: ${preview(c.body)}`;
    return `#${c.id} ${c.kind} [${where}] ${c.method} ${preview(Buffer.from(c.path))} ${JSON.stringify(c.headers)}${body}`;
  }
  return `#${c.id} ${c.kind} [${where}, ${c.finish}] ${c.bytes.length} B: ${preview(c.bytes)}`;
}

function preview(bytes: Buffer): string {
  const text = JSON.stringify(bytes.subarray(0, 160).toString('latin1'));
  return bytes.length > 160 ? `${text}…` : text;
}
