import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHeader } from '../../../src/adapters/http-api/raw-headers.js';
import { exchange } from '../../e2e/raw-http.js';

let server: Server;
let port: number;

beforeAll(async () => {
  // Answers with what rawHeader found, beside what Node's own req.headers says.
  server = createServer((req, res) => {
    const found = {
      type: rawHeader(req, 'content-type') ?? null,
      length: rawHeader(req, 'content-length') ?? null,
      absent: rawHeader(req, 'x-absent') ?? null,
    };
    const node = { type: req.headers['content-type'] ?? null };
    req.resume();
    res.end(JSON.stringify({ found, node }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function send(head: string) {
  const { responses } = await exchange({ port }, Buffer.from(`${head}\r\n\r\nab`), {
    finish: 'end',
    timeoutMs: 2_000,
  });
  return JSON.parse(responses[0]!.body.toString()) as {
    found: Record<string, string | null>;
    node: Record<string, string | null>;
  };
}

describe('rawHeader', () => {
  it('finds a header whatever the case it was sent in', async () => {
    const answer = await send(
      'POST / HTTP/1.1\r\nHost: x\r\nCONTENT-Type: application/json\r\ncontent-LENGTH: 2',
    );
    expect(answer.found).toEqual({ type: 'application/json', length: '2', absent: null });
  });

  it('takes the first of two Content-Type headers, as Node does', async () => {
    const answer = await send(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Type: application/json\r\nContent-Length: 2',
    );
    expect(answer.found.type).toBe('text/plain');
    expect(answer.found.type).toBe(answer.node.type);
  });

  it('does not take a longer header that starts with the name', async () => {
    const answer = await send(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type-Extra: nope\r\nContent-Length: 2',
    );
    expect(answer.found.type).toBeNull();
  });
});
