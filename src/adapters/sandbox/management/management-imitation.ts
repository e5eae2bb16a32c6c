import type { Reply } from '../reply.js';
import type { JsonValue } from '../vendor-types.js';
import { buildInventory, generatedLicense } from './build-inventory.js';
import { predicatesOf } from './inventory-filters.js';
import type { InventoryLicense } from './inventory-license.js';
import { renderLicense } from './render-license.js';

/** The Management API's path, under the sandbox's origin as under the vendor's. */
export const LICENSES_PATH = '/api/v1/licenses/';
export const SANDBOX_MANAGEMENT_API_KEY = 'sandbox-management-api-key-not-a-secret';
/** Licences of other devices, beside this device's three, unless a test asks for another size. */
export const DEFAULT_GENERATED_LICENSES = 300;

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

type Sortable = string | number | boolean | null;

/** The attributes `order_by` sorts the imitation by; any other is ignored, as Django does. */
const ORDER: Readonly<Record<string, (l: InventoryLicense) => Sortable>> = {
  id: (l) => l.id,
  created_at: (l) => l.createdAt,
  updated_at: (l) => l.updatedAt,
  validity_period: (l) => l.validityPeriod,
  time_activated: (l) => l.timeActivated,
  license_key: (l) => l.licenseKey,
  license_type: (l) => l.licenseType,
  enabled: (l) => l.enabled,
  active: (l) => l.active,
  is_trial: (l) => l.isTrial,
  note: (l) => l.note,
  order_store_id: (l) => l.orderStoreId,
};

/**
 * The sandbox's imitation of `GET /api/v1/licenses/`: `Api-Key` checked, the documented filters,
 * ordering, `limit`/`offset` paging silently capped at 100, and 429s with `Retry-After` on demand.
 */
export class ManagementImitation {
  private licenses: InventoryLicense[];
  private throttled: { count: number; retryAfterSeconds: number } | null = null;
  private nextGenerated: number;

  constructor(
    readonly apiKey: string,
    private readonly now: number,
    generated: number,
  ) {
    this.licenses = buildInventory(now, generated);
    this.nextGenerated = generated;
  }

  get size(): number {
    return this.licenses.length;
  }

  /** The next `count` requests are answered 429 with this `Retry-After`. */
  throttle(count: number, retryAfterSeconds: number): void {
    this.throttled = { count, retryAfterSeconds };
  }

  /** New licences, as another administrator would create them: higher IDs than any so far. */
  addLicenses(count: number): void {
    for (let i = 0; i < count; i++) {
      this.licenses.push(generatedLicense(this.nextGenerated++, this.now));
    }
  }

  deleteLicenses(ids: readonly number[]): void {
    const gone = new Set(ids);
    this.licenses = this.licenses.filter((l) => !gone.has(l.id));
  }

  ids(): readonly number[] {
    return this.licenses.map((l) => l.id);
  }

  answer(url: URL, authorization: string | undefined, origin: string): Reply {
    if (authorization !== `Api-Key ${this.apiKey}`) {
      return reply(401, { detail: 'Invalid API key.' }, { 'WWW-Authenticate': 'Api-Key' });
    }
    if (this.throttled !== null && this.throttled.count > 0) {
      this.throttled.count--;
      const seconds = this.throttled.retryAfterSeconds;
      return reply(
        429,
        { detail: `Request was throttled. Expected available in ${seconds} seconds.` },
        { 'Retry-After': String(seconds) },
      );
    }
    const query = url.searchParams;
    const limit = Math.min(MAX_PAGE, whole(query.get('limit'), DEFAULT_PAGE, 1));
    const offset = whole(query.get('offset'), 0, 0);
    const selected = this.select(query);
    const results = selected.slice(offset, offset + limit).map(renderLicense);
    const page = (at: number) => {
      const link = new URL(LICENSES_PATH, origin);
      link.search = query.toString();
      link.searchParams.set('limit', String(limit));
      link.searchParams.set('offset', String(at));
      return link.href;
    };
    return reply(200, {
      count: selected.length,
      next: offset + limit < selected.length ? page(offset + limit) : null,
      previous: offset > 0 ? page(Math.max(0, offset - limit)) : null,
      results,
    });
  }

  private select(query: URLSearchParams): readonly InventoryLicense[] {
    const predicates = predicatesOf(query, (hardwareId) =>
      this.licenses.some((l) => l.devices.some((d) => d.hardwareId === hardwareId)),
    );
    const order = query.get('order_by') ?? 'id';
    const descending = order.startsWith('-');
    const read = ORDER[descending ? order.slice(1) : order];
    // Kept in ID order, so the default order and `order_by=id` need no sort.
    let selected =
      predicates.length === 0
        ? this.licenses
        : this.licenses.filter((l) => predicates.every((p) => p(l)));
    if (read !== undefined && read !== ORDER['id']) {
      selected = [...selected].sort((a, b) => compareBy(read(a), read(b), a.id - b.id));
    }
    if (descending && read !== undefined) selected = [...selected].reverse();
    return selected;
  }
}

/** Nulls last, as PostgreSQL sorts ascending; ties by ID, so pages are deterministic. */
function compareBy(a: Sortable, b: Sortable, tie: number): number {
  if (a === b) return tie;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : a > b ? 1 : tie;
}

function whole(text: string | null, fallback: number, min: number): number {
  if (text === null || !/^\d+$/.test(text)) return fallback;
  return Math.max(min, Number(text));
}

function reply(status: number, body: JsonValue, headers?: Readonly<Record<string, string>>): Reply {
  return headers === undefined
    ? { status, body, signed: false }
    : { status, body, signed: false, headers };
}
