import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChangeListener } from '../../agent/decision-watch.js';
import type { Logger } from '../../agent/ports.js';
import type { DecisionChange } from '../../domain/decision-changes.js';
import { apiError } from './api-errors.js';
import { holdOpen } from './connection-crowd.js';
import { sendError } from './reply.js';

/** The local API's own stream of decisions, or OFREP's notifications to re-fetch. */
export type StreamKind = 'agent' | 'ofrep';

export interface EventStreamSettings {
  /** Streams open at once, both kinds together; one more is answered 503 with Retry-After. */
  readonly maxSubscribers: number;
  /** A comment line this often keeps proxies and clients from taking a quiet stream for dead. */
  readonly heartbeatMs: number;
  /** Bytes a subscriber may leave unread behind a refused write before it is dropped. */
  readonly maxBacklogBytes: number;
}

export interface EventStreamMetrics {
  subscribers(kind: StreamKind, count: number): void;
  sent(kind: StreamKind, events: number): void;
}

/** How one kind of stream says things: on connect, and when decisions change. */
export interface StreamFormat {
  readonly kind: StreamKind;
  greeting(id: number): string;
  /** The text for these changes and how many events it holds; null when nothing is said. */
  changes(changes: readonly DecisionChange[], id: number): { text: string; events: number } | null;
}

export interface ChangeSource {
  subscribe(listener: ChangeListener): () => void;
}

interface Subscriber {
  readonly res: ServerResponse;
  readonly format: StreamFormat;
}

/** Told to a client turned away, and to EventSource as its reconnection delay. */
const RETRY_SECONDS = 5;

/**
 * Server-Sent Events to local applications: a bounded set of open responses, written to whenever
 * the decisions change and with a heartbeat in between. A reader that does not drain its socket is
 * dropped rather than buffered for: one stuck application must not hold the agent's memory, nor
 * slow the others, whose writes never wait on it.
 */
export class EventHub {
  private readonly open = new Set<Subscriber>();
  private heartbeat: NodeJS.Timeout | null = null;
  private sequence = 0;
  private readonly unsubscribe: () => void;

  constructor(
    source: ChangeSource,
    private readonly settings: EventStreamSettings,
    private readonly metrics: EventStreamMetrics,
    private readonly log: Logger,
  ) {
    this.unsubscribe = source.subscribe((changes) => {
      this.broadcast(changes);
    });
    for (const kind of ['agent', 'ofrep'] as const) metrics.subscribers(kind, 0);
  }

  /** Serves one stream on this response, or turns it away when the streams are all taken. */
  serve(req: IncomingMessage, res: ServerResponse, format: StreamFormat): void {
    if (this.open.size >= this.settings.maxSubscribers) {
      sendError(res, apiError('too_many_subscribers', 'every event stream is taken; try later'), {
        'retry-after': String(RETRY_SECONDS),
      });
      return;
    }
    holdOpen(req.socket);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // A buffering reverse proxy would hold the events back.
      'x-accel-buffering': 'no',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const subscriber: Subscriber = { res, format };
    this.open.add(subscriber);
    this.counted(format.kind);
    res.once('close', () => {
      if (this.open.delete(subscriber)) this.counted(format.kind);
    });
    this.write(
      subscriber,
      `retry: ${String(RETRY_SECONDS * 1000)}\n${format.greeting(++this.sequence)}`,
    );
    this.heartbeat ??= setInterval(() => {
      for (const s of this.open) this.write(s, ': heartbeat\n\n');
    }, this.settings.heartbeatMs).unref();
  }

  /** Ends every stream: the server cannot close while a response is still open. */
  close(): void {
    this.unsubscribe();
    for (const subscriber of this.open) subscriber.res.end();
    this.open.clear();
    this.stopHeartbeat();
    for (const kind of ['agent', 'ofrep'] as const) this.metrics.subscribers(kind, 0);
  }

  private broadcast(changes: readonly DecisionChange[]): void {
    const id = ++this.sequence;
    const said = new Map<StreamFormat, { text: string; events: number } | null>();
    for (const subscriber of this.open) {
      let message = said.get(subscriber.format);
      if (message === undefined) {
        message = subscriber.format.changes(changes, id);
        said.set(subscriber.format, message);
      }
      if (message !== null && this.write(subscriber, message.text))
        this.metrics.sent(subscriber.format.kind, message.events);
    }
  }

  /** False when the subscriber is gone, or has just been dropped. */
  private write(subscriber: Subscriber, text: string): boolean {
    const { res } = subscriber;
    if (res.destroyed || res.writableEnded) return false;
    if (res.write(text) || res.writableLength <= this.settings.maxBacklogBytes) return true;
    this.log.warn(
      { stream: subscriber.format.kind, backlogBytes: res.writableLength },
      'an event stream reader fell behind and was dropped',
    );
    this.open.delete(subscriber);
    this.counted(subscriber.format.kind);
    res.destroy();
    return false;
  }

  private counted(kind: StreamKind): void {
    let count = 0;
    for (const s of this.open) if (s.format.kind === kind) count++;
    this.metrics.subscribers(kind, count);
    if (this.open.size === 0) this.stopHeartbeat();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
