// A virtual clock for the fleet simulation: a binary heap of timers, and the Clock, Sleep and
// Ticker the agent's code takes, all backed by it. Time moves only when `runUntil` pops a timer.

export class VirtualTime {
  constructor(origin) {
    this.origin = origin;
    this.at = origin;
    this.heap = [];
    this.seq = 0;
  }

  now() {
    return this.at;
  }

  monotonic() {
    return this.at - this.origin;
  }

  /** Runs `fn` at `at` (never before now). Returns a handle whose `stop()` cancels it. */
  schedule(at, fn) {
    const timer = { at: Math.max(at, this.at), seq: this.seq++, fn, live: true };
    push(this.heap, timer);
    return {
      stop: () => {
        timer.live = false;
      },
    };
  }

  /** The agent's `Sleep` port on virtual time (the simulation never aborts a sleep). */
  sleep = (ms) => new Promise((resolve) => this.schedule(this.at + ms, resolve));

  /**
   * Pops timers in order up to `end`. After each instant's timers it lets every promise they
   * started settle (a setImmediate runs only once the microtask queue is empty), so a sync that
   * needs no sleep finishes at the instant it started, as against a server that answers at once.
   */
  async runUntil(end) {
    // What the caller started synchronously (a sync at boot) first runs up to its first timer.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.heap.length > 0 && this.heap[0].at <= end) {
      const t = this.heap[0].at;
      this.at = t;
      while (this.heap.length > 0 && this.heap[0].at === t) {
        const timer = pop(this.heap);
        if (timer.live) timer.fn();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.at = Math.max(this.at, end);
  }
}

function before(a, b) {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function push(heap, item) {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function pop(heap) {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
  return top;
}
