import { sseReader, type ServerEvent } from './sse-reader.js';
import type { Transport } from './transport.js';

const FIRST_DELAY_MS = 250;
const LONGEST_DELAY_MS = 30_000;

/**
 * One `GET /v1/events` stream, kept open while wanted: reconnected after any end or failure with
 * exponential backoff and jitter (a `Retry-After` from an agent whose streams are all taken is a
 * floor), the backoff starting over once the agent has said `ready`.
 */
export class ChangeStream {
  private running: AbortController | null = null;

  constructor(
    private readonly transport: Transport,
    private readonly onEvent: (event: ServerEvent) => void,
    private readonly idleMs: number,
  ) {}

  start(): void {
    if (this.running !== null) return;
    const controller = new AbortController();
    this.running = controller;
    void this.run(controller.signal);
  }

  stop(): void {
    this.running?.abort();
    this.running = null;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let delayMs = FIRST_DELAY_MS;
    // A function, not the property: it changes while the stream is awaited.
    const stopped = () => signal.aborted;
    while (!stopped()) {
      let floorMs = 0;
      try {
        const opened = await this.transport.stream('/v1/events', signal, this.idleMs);
        if (opened.kind === 'open') {
          const read = sseReader();
          const decoder = new TextDecoder();
          for await (const chunk of opened.body) {
            for (const event of read(decoder.decode(chunk, { stream: true }))) {
              if (event.event === 'ready') delayMs = FIRST_DELAY_MS;
              this.onEvent(event);
            }
          }
        } else {
          floorMs = 1000 * (Number(opened.reply.retryAfter) || 0);
        }
      } catch {
        // Not running, refused, cut off, or silent too long: all are retried the same way.
      }
      if (stopped()) return;
      const waitMs = Math.max(floorMs, delayMs * (0.5 + Math.random() / 2));
      delayMs = Math.min(LONGEST_DELAY_MS, delayMs * 2);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        timer.unref();
        signal.addEventListener('abort', done, { once: true });
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
      });
    }
  }
}
