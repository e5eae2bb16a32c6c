/** Milliseconds since the Unix epoch. The core never reads a clock: every instant is passed in. */
export type Instant = number;

/**
 * One look at the agent's two clocks. The wall clock says what time it is and may be set back
 * or forward at any moment; the monotonic one (milliseconds from an arbitrary origin) only says
 * how much time passed, and never jumps.
 */
export interface ClockReading {
  readonly wall: Instant;
  readonly monotonic: number;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
