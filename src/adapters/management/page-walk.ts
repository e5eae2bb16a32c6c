import { MAX_PAGE_SIZE } from './filter-catalogue.js';

/** One licence as the Management API returned it; `id` is the vendor's unique licence ID. */
export interface ManagementLicense {
  readonly id: number;
  readonly json: Readonly<Record<string, unknown>>;
}

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

/**
 * Where a listing stands. Pages are asked for by `offset`, each starting at the last licence
 * already written (the anchor), so that every page shows whether the inventory shifted under it.
 */
export interface WalkState {
  /** `id` / `-id`: the order is the unique key itself, and a shift is always recovered. */
  readonly keyed: 'asc' | 'desc' | null;
  readonly limit: number | null;
  readonly emitted: number;
  readonly anchor: ManagementLicense | null;
  /** Where the anchor was last seen: the next page starts there. */
  readonly offset: number;
  /** Back-ups in a row, looking for the anchor after licences before it were deleted. */
  readonly backsteps: number;
}

export type Step =
  | {
      readonly kind: 'continue';
      readonly emit: readonly ManagementLicense[];
      readonly state: WalkState;
      readonly request: PageRequest;
      /** The anchor was lost in an unkeyed order: licences may be missed or repeated. */
      readonly shifted: boolean;
    }
  | {
      readonly kind: 'done';
      readonly emit: readonly ManagementLicense[];
      readonly shifted: boolean;
    }
  | { readonly kind: 'stuck'; readonly detail: string };

/** Deletions that outrun this many back-ups in a row are not a listing that can finish. */
const MAX_BACKSTEPS = 50;
/** In an order that is not the key, the anchor is looked for this far back before giving up. */
const MAX_UNKEYED_BACKSTEPS = 3;

export function startWalk(
  orderBy: string,
  limit: number | null,
): {
  state: WalkState;
  request: PageRequest;
} {
  const keyed = orderBy === 'id' ? 'asc' : orderBy === '-id' ? 'desc' : null;
  const state: WalkState = { keyed, limit, emitted: 0, anchor: null, offset: 0, backsteps: 0 };
  return { state, request: { offset: 0, limit: pageSize(state) } };
}

/**
 * What one page adds to the listing, and which page to ask for next. Ordered by `id`, this is
 * keyset paging carried over offsets: a page must start at or before the anchor (else licences
 * before it were deleted and the walk backs up), and only licences past the anchor are written,
 * so each licence present throughout is written exactly once, in order. In another order the
 * anchor is found by its ID; when it moved or went, the walk resumes where it was and says so.
 */
export function nextStep(
  state: WalkState,
  request: PageRequest,
  page: readonly ManagementLicense[],
  hasNext: boolean,
): Step {
  const { anchor } = state;
  if (anchor === null) return advance(state, request, page, page, hasNext, false);

  const anchorAt = page.findIndex((l) => l.id === anchor.id);
  if (state.keyed !== null) {
    const past = (l: ManagementLicense) =>
      state.keyed === 'asc' ? l.id > anchor.id : l.id < anchor.id;
    const first = page[0];
    const gap = first === undefined ? request.offset > 0 : past(first) && request.offset > 0;
    if (gap) return backUp(state, request, MAX_BACKSTEPS);
    return advance(state, request, page, page.filter(past), hasNext, false);
  }
  if (anchorAt >= 0) {
    return advance(state, request, page, page.slice(anchorAt + 1), hasNext, false);
  }
  if (request.offset > 0 && state.backsteps < MAX_UNKEYED_BACKSTEPS) {
    return backUp(state, request, MAX_UNKEYED_BACKSTEPS);
  }
  // Lost: go on from just past where the anchor was last seen, writing what is there.
  const resume: WalkState = { ...state, anchor: null, offset: state.offset + 1, backsteps: 0 };
  return {
    kind: 'continue',
    emit: [],
    state: resume,
    request: { offset: resume.offset, limit: pageSize(resume) },
    shifted: true,
  };
}

function advance(
  state: WalkState,
  request: PageRequest,
  page: readonly ManagementLicense[],
  fresh: readonly ManagementLicense[],
  hasNext: boolean,
  shifted: boolean,
): Step {
  const room = state.limit === null ? fresh.length : state.limit - state.emitted;
  const emit = fresh.slice(0, Math.max(0, room));
  const emitted = state.emitted + emit.length;
  const last = emit.at(-1);
  if (!hasNext || (state.limit !== null && emitted >= state.limit)) {
    return { kind: 'done', emit, shifted };
  }
  if (last === undefined) {
    // The whole page lies before the anchor (after a back-up): step forward, anchor kept.
    if (page.length <= 1) {
      return { kind: 'stuck', detail: 'a page brought no licence past the last one written' };
    }
    const offset = request.offset + page.length - 1;
    return {
      kind: 'continue',
      emit,
      state: { ...state, offset },
      request: { offset, limit: pageSize(state) },
      shifted,
    };
  }
  const offset = request.offset + page.indexOf(last);
  const next: WalkState = { ...state, emitted, anchor: last, offset, backsteps: 0 };
  return {
    kind: 'continue',
    emit,
    state: next,
    request: { offset, limit: pageSize(next) },
    shifted,
  };
}

function backUp(state: WalkState, request: PageRequest, max: number): Step {
  if (state.backsteps >= max) {
    return { kind: 'stuck', detail: 'licences are deleted faster than the listing can page' };
  }
  const offset = Math.max(0, request.offset - (MAX_PAGE_SIZE - 1));
  const next = { ...state, backsteps: state.backsteps + 1 };
  return {
    kind: 'continue',
    emit: [],
    state: next,
    request: { offset, limit: MAX_PAGE_SIZE },
    shifted: false,
  };
}

/** Never more than the cap; with an anchor, one more than still wanted, for the overlap. */
function pageSize(state: WalkState): number {
  const overlap = state.anchor === null ? 0 : 1;
  if (state.limit === null) return MAX_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, state.limit - state.emitted + overlap));
}
