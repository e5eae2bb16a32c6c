/** Milliseconds since the Unix epoch. The core never reads a clock: every instant is passed in. */
export type Instant = number;

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
