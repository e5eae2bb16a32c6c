import type { ManagementLicense } from './page-walk.js';

/** One page of `GET /api/v1/licenses/`: the documented `count/next/previous/results` envelope. */
export interface LicensePage {
  readonly count: number;
  readonly hasNext: boolean;
  readonly licenses: readonly ManagementLicense[];
}

export type PageParse =
  | { readonly ok: true; readonly page: LicensePage }
  | { readonly ok: false; readonly detail: string };

/** Strict on what paging relies on (`count`, `next`, each licence's `id`); the rest is kept. */
export function parseLicensePage(text: string): PageParse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'the answer is not JSON' };
  }
  if (!isRecord(body)) return { ok: false, detail: 'the answer is not an object' };
  const { count, next, results } = body;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    return { ok: false, detail: 'count is not a whole number' };
  }
  if (next !== null && typeof next !== 'string') {
    return { ok: false, detail: 'next is neither a URL nor null' };
  }
  if (!Array.isArray(results)) return { ok: false, detail: 'results is not a list' };
  const licenses: ManagementLicense[] = [];
  for (const [i, json] of (results as unknown[]).entries()) {
    if (!isRecord(json) || typeof json['id'] !== 'number' || !Number.isSafeInteger(json['id'])) {
      return { ok: false, detail: `results[${i}] has no numeric id` };
    }
    licenses.push({ id: json['id'], json });
  }
  return { ok: true, page: { count, hasNext: next !== null, licenses } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
