import { describe, expect, it } from 'vitest';
import {
  nextStep,
  startWalk,
  type ManagementLicense,
} from '../../../src/adapters/management/page-walk.js';

const lic = (id: number): ManagementLicense => ({ id, json: { id } });
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => lic(from + i));

describe('walking pages in an order that is not the key', () => {
  it('finds its place by the last licence written, after licences before it were deleted', () => {
    const { state, request } = startWalk('-created_at', null);
    const first = nextStep(state, request, range(1, 100), true);
    if (first.kind !== 'continue') throw new Error(first.kind);
    expect(first.request).toEqual({ offset: 99, limit: 100 });
    // Two licences before the anchor went: the page at 99 starts past it.
    const lost = nextStep(first.state, first.request, range(102, 150), false);
    if (lost.kind !== 'continue') throw new Error(lost.kind);
    expect(lost.emit).toEqual([]);
    expect(lost.request.offset).toBe(0);
    const found = nextStep(lost.state, lost.request, range(3, 150), false);
    expect(found.kind).toBe('done');
    expect(found.kind === 'done' && found.emit.map((l) => l.id)).toEqual(
      range(101, 150).map((l) => l.id),
    );
  });

  it('says licences may be missed or repeated when the last one written is gone', () => {
    let { state, request } = startWalk('-created_at', null);
    const first = nextStep(state, request, range(1, 100), true);
    if (first.kind !== 'continue') throw new Error(first.kind);
    ({ state, request } = first);
    let shifted = false;
    for (let i = 0; i < 5; i++) {
      const step = nextStep(state, request, range(200, 250), true);
      if (step.kind !== 'continue') throw new Error(step.kind);
      shifted ||= step.shifted;
      ({ state, request } = step);
      if (step.shifted) break;
    }
    expect(shifted).toBe(true);
    expect(request.offset).toBe(100);
  });
});

describe('walking pages ordered by id', () => {
  it('refuses to go on with pages that bring nothing new', () => {
    const { state, request } = startWalk('id', null);
    const first = nextStep(state, request, [lic(1)], true);
    if (first.kind !== 'continue') throw new Error(first.kind);
    expect(nextStep(first.state, first.request, [lic(1)], true).kind).toBe('stuck');
  });
});
