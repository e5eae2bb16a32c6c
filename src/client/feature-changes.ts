import type { AnswerCache } from './answer-cache.js';
import { readFeatureAnswer } from './answer-shapes.js';
import type { ServerEvent } from './sse-reader.js';
import type { FeatureAnswer, FeatureChange } from './types.js';

type Listener = (change: FeatureChange) => void;

/**
 * What the client makes of the agent's events: each answer it hears replaces the cached one, and
 * a change of a feature someone listens to is told to them. A `ready` snapshot after a lost stream
 * also tells of the changes missed meanwhile, against the answers known before.
 */
export function featureChanges(cache: AnswerCache<FeatureAnswer>) {
  const listeners = new Map<string, Set<Listener>>();
  const known = new Map<string, FeatureAnswer>();

  const tell = (change: FeatureChange): void => {
    for (const listener of listeners.get(change.feature) ?? []) {
      // One application's listener failing must not keep the others from hearing.
      try {
        listener(change);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
  const learn = (answer: FeatureAnswer): FeatureAnswer | undefined => {
    const before = known.get(answer.code);
    known.set(answer.code, answer);
    cache.put(answer.code, answer);
    return before;
  };

  const heard = (event: ServerEvent): void => {
    let body: unknown;
    try {
      body = JSON.parse(event.data);
    } catch {
      return;
    }
    if (event.event === 'decision') {
      const change = body as { feature?: unknown; from?: unknown; to?: unknown; at?: unknown };
      if (typeof change.feature !== 'string' || typeof change.at !== 'string') return;
      const to = answerOf(change.to, change.feature);
      if (to === null || !isFrom(change.from)) return;
      learn(to);
      tell({ feature: change.feature, from: change.from, to, at: change.at });
    } else if (event.event === 'ready') {
      const { features, at } = body as { features?: unknown; at?: unknown };
      if (!Array.isArray(features) || typeof at !== 'string') return;
      const listed = new Set<string>();
      for (const item of features) {
        const code = (item as { code?: unknown } | null)?.code;
        const to = typeof code === 'string' ? answerOf(item, code) : null;
        if (to === null) continue;
        listed.add(to.code);
        const from = learn(to);
        if (from !== undefined && !sameAnswer(from, to)) tell({ feature: to.code, from, to, at });
      }
      // No longer listed: the agent answers for it otherwise now; the next ask finds out how.
      for (const code of known.keys()) {
        if (listed.has(code)) continue;
        known.delete(code);
        cache.forget(code);
      }
    }
  };

  return {
    heard,
    /** Nobody listens any more: the next stream's snapshot is a start, not news. */
    forgetKnown: (): void => {
      known.clear();
    },
    listen: (code: string, listener: Listener): (() => void) => {
      let set = listeners.get(code);
      if (set === undefined) listeners.set(code, (set = new Set()));
      // A wrapper, so the same function added twice is two listeners, removed one at a time.
      const entry: Listener = (change) => {
        listener(change);
      };
      set.add(entry);
      return () => {
        set.delete(entry);
        if (set.size === 0) listeners.delete(code);
      };
    },
    listening: (): number => listeners.size,
  };
}

function answerOf(value: unknown, code: string): FeatureAnswer | null {
  try {
    return readFeatureAnswer(value, code);
  } catch {
    return null;
  }
}

function isFrom(value: unknown): value is FeatureChange['from'] {
  const from = value as Record<string, unknown> | null;
  return (
    typeof from === 'object' &&
    from !== null &&
    typeof from['allowed'] === 'boolean' &&
    typeof from['state'] === 'string' &&
    typeof from['reason'] === 'string'
  );
}

function sameAnswer(a: FeatureAnswer, b: FeatureAnswer): boolean {
  return a.allowed === b.allowed && a.state === b.state && a.reason === b.reason;
}
