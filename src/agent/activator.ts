import type { Observations } from '../domain/observations.js';
import type { Instant } from '../domain/time.js';
import { outcomeLabel } from '../domain/upstream-outcome.js';
import type { ActivationApi } from './activation-ports.js';
import type { Clock, Logger } from './ports.js';

/** A key the config asks this device to hold, for one product. */
export interface ActivationKey {
  readonly product: string;
  /** A secret: never logged, never in status; `hint` names it. */
  readonly key: string;
}

export type ActivationResult = 'activated' | 'refused' | 'failed';

/** Where one configured key stands; what `/v1/status` shows, without the key. */
export type ActivationState =
  | { readonly kind: 'pending' }
  /** `device_licenses` lists it for this device: nothing to do. */
  | { readonly kind: 'listed' }
  | { readonly kind: 'activated'; readonly at: Instant }
  | {
      readonly kind: 'refused';
      readonly at: Instant;
      readonly code: string | null;
      readonly fix: string;
    }
  | { readonly kind: 'failed'; readonly at: Instant; readonly outcome: string };

export interface ActivationView {
  readonly product: string;
  readonly keyHint: string;
  readonly state: ActivationState;
}

export interface ActivatorDeps {
  readonly api: ActivationApi;
  readonly clock: Clock;
  readonly log: Logger;
  /** `…WU13`: enough to tell keys apart, not to use one. */
  readonly hint: (key: string) => string;
  readonly counted: (result: ActivationResult) => void;
  /** A sync, so that the licence an activation bound is listed and decided at once. */
  readonly refresh: () => void;
}

/**
 * Keeps the configured keys activated on this device. After each new `device_licenses` answer, a
 * key the answer does not list is activated, once: a refusal (no activations left, a key the
 * server does not know) is reported with its fix and tried again only after the next answer,
 * which the cadence paces, never in a loop. A key the answer lists is never sent again.
 */
export class Activator {
  private states: ActivationState[];
  private reviewedAt: Instant | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deps: ActivatorDeps,
    private keys: readonly ActivationKey[],
    private readonly hardwareId: string,
  ) {
    this.states = keys.map(() => ({ kind: 'pending' }));
  }

  reconfigure(keys: readonly ActivationKey[]): void {
    this.keys = keys;
    this.states = keys.map(() => ({ kind: 'pending' }));
    this.reviewedAt = null;
  }

  view(): ActivationView[] {
    return this.keys.map((k, i) => ({
      product: k.product,
      keyHint: this.deps.hint(k.key),
      state: this.states[i] ?? { kind: 'pending' },
    }));
  }

  /** After a sync: activates what the newest answer does not list (once per answer). */
  review(observations: Observations, signal: AbortSignal): Promise<void> {
    const seen = observations.licenses;
    if (seen?.kind !== 'licenses' || this.keys.length === 0) return Promise.resolve();
    if (this.running !== null || seen.verifiedAt === this.reviewedAt) return Promise.resolve();
    this.reviewedAt = seen.verifiedAt;
    const listed = new Set(seen.licenses.flatMap((l) => (l.key === null ? [] : [l.key])));
    this.running = this.activateMissing(listed, signal)
      .catch((error: unknown) => {
        // A stop aborts the call in flight: nothing to report then.
        if (!signal.aborted) this.deps.log.error({ err: error }, 'activation crashed');
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async activateMissing(listed: ReadonlySet<string>, signal: AbortSignal): Promise<void> {
    let bound = false;
    for (const [i, { product, key }] of this.keys.entries()) {
      if (listed.has(key)) {
        this.states[i] = { kind: 'listed' };
        continue;
      }
      if (signal.aborted) return;
      const outcome = await this.deps.api.activate(
        { hardwareId: this.hardwareId, product, licenseKey: key },
        signal,
      );
      const at = this.deps.clock.now();
      const about = { product, licenseKeyHint: this.deps.hint(key) };
      switch (outcome.kind) {
        case 'genuine':
          this.states[i] = { kind: 'activated', at };
          this.deps.counted('activated');
          this.deps.log.info(about, 'licence activated on this device');
          bound = true;
          break;
        case 'refused': {
          const fix = fixFor(outcome.upstreamCode);
          const was = this.states[i];
          this.states[i] = { kind: 'refused', at, code: outcome.upstreamCode, fix };
          this.deps.counted('refused');
          // Said once per refusal, not at every sync that meets it again.
          if (was?.kind !== 'refused' || was.code !== outcome.upstreamCode)
            this.deps.log.warn(
              { ...about, code: outcome.upstreamCode, fix },
              'the licence server refused to activate the licence on this device',
            );
          break;
        }
        case 'unreachable':
        case 'rejected':
        case 'not-genuine':
          this.states[i] = { kind: 'failed', at, outcome: outcomeLabel(outcome) };
          this.deps.counted('failed');
          this.deps.log.warn(
            { ...about, outcome: outcomeLabel(outcome) },
            'could not activate the licence: tried again after the next sync',
          );
      }
    }
    if (bound) this.deps.refresh();
  }
}

function fixFor(code: string | null): string {
  if (code !== null && /activation|limit|max/i.test(code)) {
    return "no activations left: deactivate it on another device (edge-license-agent deactivate there) or raise the licence's max_activations";
  }
  if (code === 'license_not_found')
    return 'check the key in the file or credential the config names';
  if (code === 'unknown_product') return 'check the product of this key in licensespring.activate';
  return 'see the code in the vendor portal; the agent asks again only after the next sync';
}
