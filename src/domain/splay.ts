/**
 * A per-device offset in [0, windowMs), derived from a stable seed (the hardware ID) so that a fleet
 * powered on in the same second spreads its calls evenly over the window, and each device keeps
 * its own slot from one boot to the next.
 */
export function splayOffsetMs(seed: string, windowMs: number): number {
  if (windowMs <= 0) return 0;
  return Math.floor((fnv1a32(seed) / 2 ** 32) * windowMs);
}

// FNV-1a: small, pure and well distributed over short strings; this is spreading, not security.
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // A final avalanche so that seeds differing in their last character land far apart.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}
