const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * `edge-license-agent status | head -1`: once the reader has gone, writes fail with EPIPE, which
 * Node emits as an 'error' event and, unheard, turns into a crash with a stack trace. The reader
 * wanted no more, so the rest of the output is dropped; the exit code stays the command's.
 */
export function ignoreClosedReader(stream: NodeJS.WritableStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
