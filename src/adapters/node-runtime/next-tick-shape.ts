import { createHook } from 'node:async_hooks';

/** One of process.nextTick's queue entries, held for the life of the process. */
let held: object | null = null;

/**
 * Keeps process.nextTick on V8's fast path after the process has idled.
 *
 * Node 20's nextTick queues a literal with computed keys, `{ [async_id_symbol]: …,
 * [trigger_async_id_symbol]: …, callback, args }`. Optimised code builds it along the map
 * transitions its feedback remembers, and that feedback holds the maps weakly. When full GCs run
 * while no tick is queued (V8's memory reducer runs several about 15 s into any idle, and it keeps
 * no unused maps at all), the maps die, the feedback goes megamorphic, and every nextTick from
 * then on, which is several per HTTP request, defines its properties in the runtime: the agent
 * spent about 30% more CPU per answer for the rest of its life (bench/load.mjs, README).
 *
 * One tick entry held strongly keeps its map, and with it the whole transition chain, alive.
 * The entry is taken from an async hook's `init`, enabled around a single nextTick and no longer:
 * a hook left enabled would cost every async resource a call.
 */
export function holdNextTickShape(): void {
  if (held !== null) return;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject') held = resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(doNothing);
  } finally {
    hook.disable();
  }
}

function doNothing(): void {
  // The tick exists to be observed by the hook above.
}
