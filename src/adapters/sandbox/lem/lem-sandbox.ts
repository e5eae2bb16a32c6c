import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeCsv } from '../../lem/csv.js';
import { LEM_REPORT_COLUMNS } from '../../../domain/lem.js';
import { makeCertificate, type SandboxCertificate } from './make-certificate.js';
import {
  DOCUMENT_EXPIRY,
  licenseFeatures,
  SANDBOX_PROJECT_ID,
  SERVER_FEATURES,
  sandboxDevices,
  skus,
  stats,
  usedElement,
  type SandboxDevice,
} from './lem-world.js';

export interface LemSandboxOptions {
  readonly token: string;
  /** The first used licence is bound to this MAC: the device the agent runs on. */
  readonly deviceMac: string;
  readonly projectId?: string;
  /** Devices in `used` and how many a page holds: 7 over pages of 3 makes 3 pages. */
  readonly deviceCount?: number;
  readonly pageSize?: number;
  /** A certificate made elsewhere (e.g. one whose CA a config points at); made fresh otherwise. */
  readonly certificate?: SandboxCertificate;
  readonly host?: string;
  readonly port?: number;
  /** When the pool's licences and features expire: the document's example date by default. */
  readonly expiresAt?: number;
}

export interface LemSandboxRequest {
  readonly method: string;
  readonly path: string;
}

export interface LemSandbox {
  readonly url: string;
  readonly projectId: string;
  readonly caPem: string;
  readonly fingerprint256: string;
  /** Every request that reached the server, authenticated or not. */
  readonly requests: readonly LemSandboxRequest[];
  /** The `file` part of every accepted upload. */
  readonly uploads: readonly string[];
  /** The recipients of every accepted e-mailed report. */
  readonly emailed: readonly (readonly string[])[];
  /** Answer every later request with this status (a 5xx outage, say), or null to stop. */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 6 * 1024 * 1024;

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly csv?: boolean;
}

const error = (status: number, message: string): Reply => ({
  status,
  body: { code: 'E', message, messageDetails: null },
});

/**
 * An imitation of Litmus Edge Manager's licence-pool API over HTTPS with a certificate of its
 * own, for tests and the built-in sandbox. It checks the token in both documented styles and the
 * project ID, pages `used`, and answers errors with the `{code, message, messageDetails}` body
 * LEM uses for its acknowledgements.
 */
export async function startLemSandbox(options: LemSandboxOptions): Promise<LemSandbox> {
  const certificate = options.certificate ?? (await makeCertificate());
  const projectId = options.projectId ?? SANDBOX_PROJECT_ID;
  const expiry = options.expiresAt ?? DOCUMENT_EXPIRY;
  const devices = sandboxDevices(options.deviceMac, options.deviceCount ?? 7, expiry);
  const features = licenseFeatures(expiry);
  const pageSize = options.pageSize ?? 3;
  const requests: LemSandboxRequest[] = [];
  const uploads: string[] = [];
  const emailed: string[][] = [];
  let failure: number | null = null;

  async function route(request: IncomingMessage): Promise<Reply> {
    const url = new URL(request.url ?? '/', 'https://lem.invalid');
    requests.push({ method: request.method ?? '', path: url.pathname });
    if (failure !== null) return error(failure, 'service unavailable');
    if (!authenticated(request, options.token)) return error(401, 'Unauthorized');
    const route = `${request.method ?? ''} ${url.pathname}`;
    if (route === 'GET /api/v1/feature') return { status: 200, body: SERVER_FEATURES };
    if (route === 'GET /api/v1/licenses2/features') return { status: 200, body: features };
    if (!url.pathname.startsWith('/api/v1/device-license-pool/')) return error(404, 'Not Found');
    const asked = url.searchParams.get('projectId');
    if (asked === null || asked === '') return error(400, 'projectId is required');
    if (asked !== projectId) return error(404, `project ${asked} not found`);
    const body = request.method === 'POST' ? await readBody(request) : '';
    switch (route) {
      case 'GET /api/v1/device-license-pool/stats':
        return { status: 200, body: stats(devices) };
      case 'GET /api/v1/device-license-pool/skus':
        return { status: 200, body: skus(devices) };
      case 'GET /api/v1/device-license-pool/used':
        return usedPage(url.searchParams.get('pageNum'));
      case 'POST /api/v1/device-license-pool/csv':
        return upload(request.headers['content-type'] ?? '', body);
      case 'POST /api/v1/device-license-pool/all/csv':
        return report(body, false);
      case 'POST /api/v1/device-license-pool/all/csv/email':
        return report(body, true);
      default:
        return error(404, 'Not Found');
    }
  }

  function usedPage(pageText: string | null): Reply {
    const pageNum = pageText === null ? 0 : Number(pageText);
    if (!Number.isInteger(pageNum) || pageNum < 0) return error(400, 'pageNum is malformed');
    const elements = devices.slice(pageNum * pageSize, (pageNum + 1) * pageSize);
    return {
      status: 200,
      body: {
        pageNum,
        pagesCount: Math.ceil(devices.length / pageSize),
        size: elements.length,
        totalSize: devices.length,
        elements: elements.map((d) => usedElement(projectId, d, expiry)),
      },
    };
  }

  function upload(contentType: string, body: string): Reply {
    const file = multipartFilePart(contentType, body);
    if (file === null) return error(400, 'a multipart "file" part is required');
    uploads.push(file);
    return { status: 200, body: { code: 'S', message: null, messageDetails: null } };
  }

  function report(body: string, email: boolean): Reply {
    let parsed: { deviceIds?: unknown; emails?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return error(400, 'the body is not JSON');
    }
    const ids = parsed.deviceIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
      return error(400, 'deviceIds must be an array of strings');
    }
    const unknown = ids.find((id) => !devices.some((d) => d.deviceId === id));
    if (unknown !== undefined) return error(404, `device ${unknown} not found`);
    const chosen = ids.length === 0 ? devices : devices.filter((d) => ids.includes(d.deviceId));
    if (!email) return { status: 200, body: reportCsv(projectId, chosen), csv: true };
    const emails = parsed.emails;
    if (
      !Array.isArray(emails) ||
      emails.length === 0 ||
      !emails.every((e) => typeof e === 'string' && /^[^@\s]+@[^@\s]+$/.test(e))
    ) {
      return error(400, 'emails must be a non-empty array of addresses');
    }
    emailed.push(emails as string[]);
    return { status: 200, body: { code: 'S', message: null, messageDetails: null } };
  }

  const server = createServer(
    { cert: certificate.certPem, key: certificate.keyPem },
    (request: IncomingMessage, response: ServerResponse) => {
      route(request).then(
        (reply) => {
          write(response, reply);
        },
        () => {
          write(response, error(413, 'request body too large'));
        },
      );
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `https://${host}:${address.port}/`,
    projectId,
    caPem: certificate.caPem,
    fingerprint256: certificate.fingerprint256,
    requests,
    uploads,
    emailed,
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function authenticated(request: IncomingMessage, token: string): boolean {
  const header = request.headers['x-authtoken'];
  if (typeof header === 'string') return header === token;
  const authorization = request.headers.authorization ?? '';
  if (!authorization.startsWith('Basic ')) return false;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  return decoded === `${token}:`;
}

function reportCsv(projectId: string, devices: readonly SandboxDevice[]): string {
  const date = (ms: number | null): string | null =>
    ms === null ? null : new Date(ms).toISOString().slice(0, 19);
  const rows = devices.flatMap((d) =>
    d.licenses.map((l) => [
      projectId,
      d.deviceId,
      d.deviceName,
      d.deviceFriendlyName,
      d.macAddress,
      l.licenseKey,
      l.licenseSku,
      date(l.activationDate),
      date(l.expiryDate),
      date(l.expiryDate),
      String(l.isCore),
      String(l.isTrial),
      l.status,
    ]),
  );
  return writeCsv([[...LEM_REPORT_COLUMNS], ...rows]);
}

/** The content of the part named `file`, or null: enough multipart for one text file. */
function multipartFilePart(contentType: string, body: string): string | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!contentType.startsWith('multipart/form-data') || marker === undefined) return null;
  for (const part of body.split(`--${marker}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    if (!/content-disposition:[^\r\n]*\bname="file"/i.test(head)) continue;
    return part.slice(split + 4).replace(/\r\n$/, '');
  }
  return null;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function write(response: ServerResponse, reply: Reply): void {
  const text = reply.csv === true ? String(reply.body) : JSON.stringify(reply.body);
  response.statusCode = reply.status;
  response.setHeader('Content-Type', reply.csv === true ? 'text/csv' : 'application/json');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.end(text);
}
