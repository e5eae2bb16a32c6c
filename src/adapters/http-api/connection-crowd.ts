import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface CrowdLimits {
  /** Past this many open connections, a new one first sheds the idle and the silent ones. */
  readonly shedAbove: number;
  /** The newest silent connections are spared: one of them is likely a client about to speak. */
  readonly spareSilent: number;
  /** A connection that has sent no request in this long is closed (Node never closes one). */
  readonly silentMs: number;
}

/**
 * Keeps a crowd of held connections from locking a new client out, where a cap per peer cannot:
 * on loopback every client, the crowd too, is 127.0.0.1. Node closes a kept-alive connection after
 * keepAliveTimeout and a half-sent request after headersTimeout, but a connection that never sends
 * a byte stays open for ever and a crowd of them fills `maxConnections`. So a silent connection is
 * closed after `silentMs`, and past `shedAbove` open connections each new one first closes the
 * idle kept-alive ones (their clients reconnect, as they must anyway) and the older silent ones.
 *
 * Returns what the request listener calls for every request: one size comparison once a socket
 * has spoken, so that feature questions pay nothing for it.
 */
export function guardConnections(server: Server, limits: CrowdLimits): (socket: Socket) => void {
  let open = 0;
  // Insertion order is connection order: the oldest silent connection comes first.
  const silent = new Set<Socket>();
  function closed(this: Socket): void {
    open--;
    silent.delete(this);
  }
  // Before Node's own listener: the new connection is not yet on Node's list, so it is not shed.
  server.prependListener('connection', (socket: Socket) => {
    if (open >= limits.shedAbove) shed();
    open++;
    silent.add(socket);
    // Node destroys a socket that times out when nobody else listens for it (server.timeout 0).
    socket.setTimeout(limits.silentMs);
    socket.once('close', closed);
  });

  function shed(): void {
    server.closeIdleConnections();
    for (const socket of silent) {
      if (silent.size <= limits.spareSilent) break;
      silent.delete(socket);
      socket.destroy();
    }
  }

  return (socket) => {
    if (silent.size !== 0 && silent.delete(socket)) socket.setTimeout(0);
  };
}

/**
 * Exempts a connection that carries an event stream from the crowd rules above, which are made
 * for requests that end: its request has been read, so it is no longer silent (the silence
 * timeout is off, as for any socket that spoke, and set off here again should that ever change),
 * and its response never finishes, so `closeIdleConnections` (shedding, and closing the server)
 * passes it by. The stream ends when its client goes, when it is dropped for not reading, or when
 * the agent stops and ends every stream itself.
 */
export function holdOpen(socket: Socket): void {
  socket.setTimeout(0);
}
