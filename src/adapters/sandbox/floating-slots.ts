/**
 * Floating feature slots, as the vendor's cloud floating works: a device that checks a floating
 * feature holds one of its `floating_users` slots for `floating_timeout` minutes, and checking
 * again renews its own slot. A full feature answers `floating_not_available`.
 */
export class FloatingSlots {
  /** Per licence and feature: hardware ID → when its slot lapses (epoch ms). */
  private readonly held = new Map<string, Map<string, number>>();

  /** Takes or renews the device's slot; the devices now holding one, or null when all are taken. */
  take(
    slotKey: string,
    hardwareId: string,
    capacity: number,
    timeoutMs: number,
    now: number,
  ): number | null {
    const holders = this.held.get(slotKey) ?? new Map<string, number>();
    for (const [holder, lapsesAt] of holders) {
      if (lapsesAt <= now) holders.delete(holder);
    }
    if (!holders.has(hardwareId) && holders.size >= capacity) return null;
    holders.set(hardwareId, now + timeoutMs);
    this.held.set(slotKey, holders);
    return holders.size;
  }
}
