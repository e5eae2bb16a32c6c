import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signResponse } from '../licensespring/response-signature.js';
import type { Reply } from './reply.js';

/** Token requests are a few hundred bytes; anything near this is not a client worth serving. */
const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  readonly code = 'payload_too_large';
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes a reply. The body is sent as exactly `JSON.stringify(body)`, the text the signature is
 * over, and `Date` comes from the sandbox's clock so tests that move the clock see it move.
 */
export function writeReply(
  response: ServerResponse,
  reply: Reply,
  now: number,
  privateKey: KeyObject,
): void {
  const text = JSON.stringify(reply.body);
  response.statusCode = reply.status;
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.setHeader('Date', new Date(now).toUTCString());
  if (reply.signed) response.setHeader('LicenseSignature', signResponse(reply.body, privateKey));
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  response.end(text);
}
