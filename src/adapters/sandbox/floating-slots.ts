/**
 * Floating feature slots, as the vendor's cloud floating works: a device that checks a floating
 * feature holds one of its `floating_users` slots for `floating_timeout` minutes, checking again
 * renews its own slot, and a release frees it at once. A full feature answers
 * `floating_not_available`.
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
    const holders = this.live(slotKey, now);
    if (!holders.has(hardwareId) && holders.size >= capacity) return null;
    holders.set(hardwareId, now + timeoutMs);
    this.held.set(slotKey, holders);
    return holders.size;
  }

  /** Frees the device's slot, if it holds one; whether it did. */
  release(slotKey: string, hardwareId: string): boolean {
    return this.held.get(slotKey)?.delete(hardwareId) ?? false;
  }

  /** Slots in use now, per `licenceId/feature`, for tests and `npm start` to read. */
  inUse(now: number): Readonly<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const slotKey of this.held.keys()) counts[slotKey] = this.live(slotKey, now).size;
    return counts;
  }

  private live(slotKey: string, now: number): Map<string, number> {
    const holders = this.held.get(slotKey) ?? new Map<string, number>();
    for (const [holder, lapsesAt] of holders) {
      if (lapsesAt <= now) holders.delete(holder);
    }
    return holders;
  }
}
