import { request, type Dispatcher } from 'undici';
import type { UnreachableCause } from '../../domain/upstream-outcome.js';
import { requestDeadline } from './request-deadline.js';
import { transportErrorCode, transportFailure } from './transport-error.js';

/** How one HTTP request to an upstream ended: an answer of some size, or none and why. */
export type Exchange =
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly headers: Dispatcher.ResponseData['headers'];
      /** The body as text; empty when it was larger than the cap (and then not read whole). */
      readonly body: string;
      readonly oversized: boolean;
    }
  | {
      readonly kind: 'unreachable';
      readonly cause: UnreachableCause;
      /** The most specific error code on the failure (e.g. a TLS verification code), if any. */
      readonly transportCode: string | null;
    };

export interface ExchangeRequest {
  readonly url: URL | string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly dispatcher: Dispatcher;
  /** The whole request, connecting and reading the body included. */
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
}

/**
 * One request to an upstream, for every vendor adapter alike: a deadline of its own under the
 * caller's signal, a body read no further than the cap, and a failure to get an answer named
 * from the error codes, never from a message. Shutting down is not an outage: when the caller's
 * signal aborts, this rejects with its reason instead of answering `unreachable`.
 */
export async function exchange(req: ExchangeRequest, signal: AbortSignal): Promise<Exchange> {
  const deadline = requestDeadline(signal, req.timeoutMs);
  try {
    const response = await request(req.url, {
      method: req.method,
      dispatcher: req.dispatcher,
      signal: deadline.signal,
      headers: req.headers,
      body: req.body ?? null,
    });
    const body = await readCapped(response.body, req.maxBodyBytes);
    return {
      kind: 'answered',
      status: response.statusCode,
      headers: response.headers,
      body: body ?? '',
      oversized: body === null,
    };
  } catch (error) {
    if (signal.aborted) throw error;
    return {
      kind: 'unreachable',
      cause: transportFailure(error, deadline.timedOut()),
      transportCode: transportErrorCode(error),
    };
  } finally {
    deadline.release();
  }
}

/** The body as UTF-8 text, or null once it passes `max` bytes: the rest is not read. */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  max: number,
): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
