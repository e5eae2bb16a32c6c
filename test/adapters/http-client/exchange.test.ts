import { createServer, type Server } from 'node:http';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, type ExchangeRequest } from '../../../src/adapters/http-client/exchange.js';

let server: Server;
let base: string;
const dispatcher = new Agent();

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/big') {
      res.end('x'.repeat(10_000));
    } else if (req.url === '/hang') {
      // Never answers: the deadline must end it.
    } else {
      res.setHeader('retry-after', '7');
      res.end(JSON.stringify({ method: req.method }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await dispatcher.close();
});

function req(path: string, extra: Partial<ExchangeRequest> = {}): ExchangeRequest {
  return {
    url: `${base}${path}`,
    method: 'GET',
    headers: {},
    dispatcher,
    timeoutMs: 2_000,
    maxBodyBytes: 1_000,
    ...extra,
  };
}

describe('one upstream exchange', () => {
  it('answers with the status, headers and body text', async () => {
    const answer = await exchange(
      req('/ok', { method: 'POST', body: 'a=1' }),
      AbortSignal.timeout(5_000),
    );
    expect(answer).toMatchObject({ kind: 'answered', status: 200, oversized: false });
    if (answer.kind !== 'answered') throw new Error('not answered');
    expect(JSON.parse(answer.body)).toEqual({ method: 'POST' });
    expect(answer.headers['retry-after']).toBe('7');
  });

  it('stops reading a body past the cap and says it was oversized', async () => {
    const answer = await exchange(req('/big'), AbortSignal.timeout(5_000));
    expect(answer).toMatchObject({ kind: 'answered', body: '', oversized: true });
  });

  it('names a refused connection and keeps the transport code for the operator', async () => {
    const answer = await exchange(
      req('/', { url: 'http://127.0.0.1:1/' }),
      AbortSignal.timeout(5_000),
    );
    expect(answer).toEqual({
      kind: 'unreachable',
      cause: 'connection_refused',
      transportCode: 'ECONNREFUSED',
    });
  });

  it('names a server that never answers a timeout, by its own deadline', async () => {
    const answer = await exchange(req('/hang', { timeoutMs: 100 }), AbortSignal.timeout(5_000));
    expect(answer).toMatchObject({ kind: 'unreachable', cause: 'timeout' });
  });

  it("rejects with the caller's reason when the caller aborts: shutting down is not an outage", async () => {
    const caller = new AbortController();
    const pending = exchange(req('/hang'), caller.signal);
    caller.abort(new Error('stopping'));
    await expect(pending).rejects.toThrow('stopping');
  });
});
