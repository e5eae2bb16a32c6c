import type { presentStatus } from '../present.js';
import type { LemStatusPart } from './lem-section.js';

/** `/v1/status` as it is sent: the page shows the same data, in the same words. */
export type PresentedStatus = ReturnType<typeof presentStatus>;

/** Everything the page shows; rendering it needs nothing else. */
export interface StatusPageInput {
  /** Once the status view has a LEM part, `lem` is present exactly when LEM is enabled. */
  readonly status: PresentedStatus & { readonly lem?: LemStatusPart };
  /** The agent's trusted now (ms): what "in 3 d" and "5 min ago" count from. */
  readonly now: number;
}
