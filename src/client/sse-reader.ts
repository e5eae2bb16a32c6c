/** One Server-Sent Event: its type (`message` when unnamed) and its data lines joined. */
export interface ServerEvent {
  readonly event: string;
  readonly data: string;
}

/** An event's data past this size is not the agent's: the reader stops rather than buffer it. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/**
 * Reads `text/event-stream` as it arrives, in chunks cut anywhere (WHATWG HTML, "Server-sent
 * events", interpretation): fields per line, an empty line ends an event, `:` lines are comments
 * (the agent's heartbeats). `id` and `retry` are not needed: a reconnection starts from a fresh
 * `ready` snapshot, and the client keeps its own backoff.
 */
export function sseReader(): (chunk: string) => ServerEvent[] {
  let pending = '';
  let event = '';
  let data: string[] = [];
  return (chunk) => {
    pending += chunk;
    if (pending.length > MAX_EVENT_CHARS)
      throw new RangeError('an event stream event is too large');
    const events: ServerEvent[] = [];
    for (;;) {
      const end = pending.search(/\r\n|\r|\n/);
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (end === -1 || (pending[end] === '\r' && end === pending.length - 1)) break;
      const line = pending.slice(0, end);
      pending = pending.slice(end + (pending.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (data.length > 0)
          events.push({ event: event === '' ? 'message' : event, data: data.join('\n') });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    return events;
  };
}
