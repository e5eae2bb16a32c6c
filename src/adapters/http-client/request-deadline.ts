/** One request's abort signal: the caller's, or its own timeout, whichever comes first. */
export interface RequestDeadline {
  readonly signal: AbortSignal;
  /** True once the timeout, not the caller, ended the request. */
  timedOut(): boolean;
  /** Call when the request is over: stops the timer and lets go of the caller's signal. */
  release(): void;
}

/**
 * Not `AbortSignal.any([outer, AbortSignal.timeout(ms)])`: on Node 20 each call leaves a WeakRef
 * in a set on `outer` that is never emptied (nodejs/node#55351). `outer` is the agent's lifetime,
 * so every request a long-running agent ever made would stay on its heap
 * (`bench/sync-soak.mjs` showed 3 entries a sync cycle).
 */
export function requestDeadline(outer: AbortSignal, timeoutMs: number): RequestDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('the request timed out', 'TimeoutError'));
  }, timeoutMs);
  // Like AbortSignal.timeout(): the timer alone does not keep the process alive.
  timer.unref();
  const forward = () => {
    controller.abort(outer.reason);
  };
  if (outer.aborted) forward();
  else outer.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', forward);
    },
  };
}
