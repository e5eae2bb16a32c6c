import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/logging/create-logger.js';
import { MemoryDestination } from './memory-destination.js';

const S = 'SECRET-VALUE-4b1f';

function logOnce(fields: Record<string, unknown>) {
  const destination = new MemoryDestination();
  createLogger({ level: 'info', destination }).info(fields, 'something happened');
  return destination;
}

/** Each case: the fields logged, with the secret `S` somewhere inside, and a neighbour to keep. */
const cases: readonly (readonly [string, Record<string, unknown>])[] = [
  ['apiKey', { apiKey: S }],
  ['sharedKey', { sharedKey: S }],
  ['clientSecret', { clientSecret: S }],
  ['client_secret', { client_secret: S }],
  ['accessToken', { accessToken: S }],
  ['access_token', { access_token: S }],
  ['refreshToken', { refreshToken: S }],
  ['refresh_token', { refresh_token: S }],
  ['licenseKey', { licenseKey: S }],
  ['license_key', { license_key: S }],
  ['password', { password: S }],
  ['token', { token: S }],
  ['secret', { secret: S }],
  ['authorization', { authorization: S }],
  ['Authorization', { Authorization: S }],
  ['headers.authorization', { headers: { authorization: S } }],
  ['headers.Authorization', { headers: { Authorization: S } }],
  ['req.headers.authorization', { req: { headers: { authorization: S } } }],
  ['req.headers.Authorization', { req: { headers: { Authorization: S } } }],
  [
    'upstream.request.headers.authorization',
    { upstream: { request: { headers: { authorization: S } } } },
  ],
  [
    'upstream.request.headers.Authorization',
    { upstream: { request: { headers: { Authorization: S } } } },
  ],
  ['config.licensespring.apiKey', { config: { licensespring: { apiKey: S, sharedKey: S } } }],
  ['oauth.client_secret', { oauth: { client_id: 'c', client_secret: S } }],
  ['tokens.access_token / refresh_token', { tokens: { access_token: S, refresh_token: S } }],
  ['request.licenseKey', { request: { licenseKey: S } }],
  [
    'licenses[*].license_key',
    {
      licenses: [
        { id: 1, license_key: S },
        { id: 2, license_key: S },
      ],
    },
  ],
  ['licenses[*].key (domain License)', { licenses: [{ id: 1, key: S }] }],
  ['license.key', { license: { id: 1, key: S } }],
  ['body.licenses[*].license_key', { body: { licenses: [{ license_key: S }] } }],
  ['state.licenses[*].key', { state: { licenses: [{ key: S }] } }],
];

describe('log redaction', () => {
  it.each(cases)('hides the secret at %s and keeps the other fields', (_path, fields) => {
    const destination = logOnce({ ...fields, licenseId: 1001, product: 'edge' });
    expect(destination.text).not.toContain(S);
    expect(destination.text).toContain('"[redacted]"');
    expect(destination.lines[0]).toMatchObject({
      licenseId: 1001,
      product: 'edge',
      msg: 'something happened',
      level: 'info',
    });
  });

  it('keeps the structure around a redacted header', () => {
    const destination = logOnce({
      req: { method: 'POST', headers: { authorization: S, date: 'Wed, 01 Jan 2025' } },
    });
    expect(destination.lines[0]?.['req']).toEqual({
      method: 'POST',
      headers: { authorization: '[redacted]', date: 'Wed, 01 Jan 2025' },
    });
  });

  it('keeps a field named key when it is not on a licence', () => {
    const destination = logOnce({ cache: { key: 'device-licenses' } });
    expect(destination.lines[0]?.['cache']).toEqual({ key: 'device-licenses' });
  });

  it('does not alter the object the caller logged', () => {
    const headers = { authorization: S };
    logOnce({ headers });
    expect(headers.authorization).toBe(S);
  });

  it('redacts secrets in child bindings and in what a child logs', () => {
    const destination = new MemoryDestination();
    const root = createLogger({ level: 'info', destination });
    const child = root.child({ component: 'licensespring', apiKey: S });
    child.info({ headers: { Authorization: S } }, 'request sent');
    child.child({ licenses: [{ id: 7, license_key: S }] }).warn({ token: S }, 'nested');
    expect(destination.text).not.toContain(S);
    expect(destination.lines.map((line) => line['component'])).toEqual([
      'licensespring',
      'licensespring',
    ]);
    expect(destination.lines[1]).toMatchObject({ level: 'warn', msg: 'nested' });
  });
});
