/** A number in [0, 1), from a seed: the same seed replays the same mutations and kill times. */
export type Rng = () => number;

export function seededRng(seed: number): Rng {
  // mulberry32: small, fast and good enough to spread mutations; not for secrets.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
