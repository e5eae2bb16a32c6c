import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { browserGuard } from '../../../src/adapters/http-api/browser-guard.js';

/** The guard reads only the method and the headers Node has parsed. */
function req(method: string, headers: Record<string, string>): IncomingMessage {
  return { method, headers } as unknown as IncomingMessage;
}

const codeOf = (answer: { body: string } | null): unknown =>
  answer === null ? null : (JSON.parse(answer.body) as { error: { code: unknown } }).error.code;

describe('the browser guard on the TCP listener', () => {
  const loopback = browserGuard('127.0.0.1', 7311, { tokenRequired: false });

  it.each([
    ['localhost:7311'],
    ['127.0.0.1:7311'],
    ['[::1]:7311'],
    ['Localhost:7311'],
    ['localhost'],
    ['10.0.0.5:7311'],
    ['[fe80::1]:7311'],
  ])('answers Host %s, which no rebinding page can send', (host) => {
    expect(codeOf(loopback(req('GET', { host })))).toBeNull();
  });

  it.each([['evil.example:7311'], ['localhost.evil.example:7311'], ['127.0.0.1.nip.io:7311']])(
    'refuses Host %s as misdirected',
    (host) => {
      expect(codeOf(loopback(req('GET', { host })))).toBe('misdirected_request');
    },
  );

  it('answers the configured http.host by name', () => {
    const named = browserGuard('edge-01.local', 7311, { tokenRequired: false });
    expect(codeOf(named(req('GET', { host: 'edge-01.local:7311' })))).toBeNull();
    expect(
      codeOf(
        named(req('POST', { host: 'edge-01.local:7311', origin: 'http://edge-01.local:7311' })),
      ),
    ).toBeNull();
  });

  it('leaves the Host to the token when one is required: the page cannot know it', () => {
    const tokened = browserGuard('0.0.0.0', 7311, { tokenRequired: true });
    expect(codeOf(tokened(req('GET', { host: 'edge-01.fleet.example:7311' })))).toBeNull();
    expect(codeOf(tokened(req('POST', { origin: 'https://evil.example' })))).toBe(
      'cross_site_request',
    );
  });

  it('lets a GET from another site through: its answer stays unreadable to the page', () => {
    expect(codeOf(loopback(req('GET', { 'sec-fetch-site': 'cross-site' })))).toBeNull();
  });

  it('answers a POST with no Origin and no Sec-Fetch-Site, as curl and the CLI send it', () => {
    expect(codeOf(loopback(req('POST', { host: '127.0.0.1:7311' })))).toBeNull();
  });
});
