/** Entries past this many are pruned: stale ones first, then the oldest. */
const MAX_ENTRIES = 1_000;

/**
 * Answers by key for `ttlMs` of monotonic time, and one request per key in flight: callers that
 * ask while a request runs share it, and its failure. Failures are not kept, so the next call
 * after one asks again.
 */
export class AnswerCache<T> {
  private readonly fresh = new Map<string, { readonly value: T; readonly at: number }>();
  private readonly pending = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const started = this.now();
    const hit = this.fresh.get(key);
    if (hit !== undefined) {
      if (started - hit.at < this.ttlMs) return Promise.resolve(hit.value);
      this.fresh.delete(key);
    }
    const inFlight = this.pending.get(key);
    if (inFlight !== undefined) return inFlight;

    const request: Promise<T> = load()
      .then((value) => {
        // Aged from when it was asked for: the answer may be that old already. Unless `put`
        // has since given a newer answer, which the one in flight must not overwrite.
        if (this.pending.get(key) === request) this.remember(key, value, started);
        return value;
      })
      .finally(() => {
        if (this.pending.get(key) === request) this.pending.delete(key);
      });
    this.pending.set(key, request);
    return request;
  }

  /** An answer learnt otherwise (the agent's event stream): fresh from now. */
  put(key: string, value: T): void {
    this.pending.delete(key);
    this.remember(key, value, this.now());
  }

  /** Forgets the key's answer: the next ask asks the agent. */
  forget(key: string): void {
    this.pending.delete(key);
    this.fresh.delete(key);
  }

  private remember(key: string, value: T, at: number): void {
    if (this.ttlMs <= 0) return;
    if (this.fresh.size >= MAX_ENTRIES) {
      const now = this.now();
      for (const [k, entry] of this.fresh) if (now - entry.at >= this.ttlMs) this.fresh.delete(k);
      const oldest = this.fresh.keys().next();
      if (this.fresh.size >= MAX_ENTRIES && oldest.done !== true) this.fresh.delete(oldest.value);
    }
    this.fresh.set(key, { value, at });
  }
}
