// Apart from lem-upstream.ts, which loads undici: the agent's ready path needs only this.
/**
 * A MAC no vendor hands out (locally administered): the sandbox's device when this one has none.
 * Not of the sandbox's other devices' form (`02:00:00:00:00:NN`), or one of them would be "ours".
 */
export const SANDBOX_FALLBACK_MAC = '02:00:00:00:ff:ff';
