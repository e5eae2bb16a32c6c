import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '../../../src/adapters/http-client/exchange.js';
import {
  transportErrorCode,
  transportFailure,
} from '../../../src/adapters/http-client/transport-error.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-tls-', 'all');

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for `other.example`, made now: no key is kept in the repository. */
function selfSigned(dir: string): { key: string; cert: string } {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=other.example',
      '-addext',
      'subjectAltName=DNS:other.example',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  };
}

async function listen(server: Server | HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

async function ask(url: string, dispatcher: Dispatcher) {
  return exchange(
    { url, method: 'GET', headers: {}, dispatcher, timeoutMs: 5_000, maxBodyBytes: 1_000 },
    AbortSignal.timeout(10_000),
  );
}

describe.skipIf(!hasOpenssl())('an upstream whose TLS does not verify', () => {
  let tls: Server;
  let plain: HttpServer;
  let tlsUrl: string;
  let plainUrl: string;
  let cert: string;
  const agents: Agent[] = [];

  beforeAll(async () => {
    const made = selfSigned(await tempDir());
    cert = made.cert;
    tls = createServer(made, (_req, res) => res.end('{}'));
    plain = createHttpServer((_req, res) => res.end('{}'));
    tlsUrl = await listen(tls);
    plainUrl = await listen(plain);
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
    tls.closeAllConnections();
    plain.closeAllConnections();
    await new Promise((resolve) => tls.close(resolve));
    await new Promise((resolve) => plain.close(resolve));
  });

  function agent(options: ConstructorParameters<typeof Agent>[0] = {}): Agent {
    const made = new Agent(options);
    agents.push(made);
    return made;
  }

  it('reports a self-signed certificate as tls, not as a network outage', async () => {
    expect(await ask(tlsUrl, agent())).toEqual({
      kind: 'unreachable',
      cause: 'tls',
      transportCode: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('reports a trusted certificate for another name as tls', async () => {
    expect(await ask(tlsUrl, agent({ connect: { ca: cert } }))).toMatchObject({
      kind: 'unreachable',
      cause: 'tls',
      transportCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('reports a server that does not speak TLS as tls', async () => {
    expect(await ask(plainUrl, agent())).toMatchObject({ kind: 'unreachable', cause: 'tls' });
  });

  it('keeps the exact code for the log line', async () => {
    const error: unknown = await agent()
      .request({ origin: new URL(tlsUrl).origin, path: '/', method: 'GET' })
      .then(
        () => null,
        (failure: unknown) => failure,
      );
    expect(transportFailure(error, false)).toBe('tls');
    expect(transportErrorCode(error)).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
