import { describe, expect, it } from 'vitest';
import { checkListQuery } from '../../../src/adapters/management/list-query.js';

describe('checking a listing against the documented filters', () => {
  it.each([
    ['license_key=ABCD-1234'],
    ['customer_email__icontains=acme'],
    ['customer__email__icontains=acme'],
    ['license_key__startswith=SBOX'],
    ['product_short_code__in=edge-suite,edge-vision'],
    ['bundle_license__isnull=true'],
    ['validity_period__lte=2026-12-31'],
    ['updated_at__gt=2026-01-01T00:00:00Z'],
    ['time_activated__date__gte=2026-01-01'],
    ['is_trial=false'],
    ['devices__hardware_id=0123abcd'],
    ['product_id=1584723961091234'],
  ])('accepts %s, sent as given', (filter) => {
    const check = checkListQuery([filter], null);
    expect(check).toEqual({
      ok: true,
      query: { filters: [filter.split(/=(.*)/s).slice(0, 2)], orderBy: 'id' },
    });
  });

  it.each([
    [
      'devices__hardwareid=x',
      'unknown filter field devices__hardwareid; did you mean devices__hardware_id?',
    ],
    ['custmer_email=a@b', 'did you mean customer_email?'],
    ['license_key__endswith=x', 'unknown filter field license_key__endswith'],
    ['note=x', 'note does not take __; documented: note__icontains'],
    ['validity_period__icontains=2026', 'validity_period does not take __icontains'],
    ['is_trial=yes', 'yes is not true or false'],
    ['created_at__date__gt=2026-01-01T00:00:00Z', 'is not a date (YYYY-MM-DD)'],
    ['product_id=edge', 'is not an ID'],
    ['limit=1000', 'unknown filter field limit'],
    ['license_key', 'wants FIELD[__LOOKUP]=VALUE'],
  ])('refuses %s, naming what is wrong', (filter, problem) => {
    const check = checkListQuery([filter], null);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.problem).toContain(problem);
  });

  it('orders by id unless told, and accepts a documented attribute descending', () => {
    expect(checkListQuery([], '-created_at')).toEqual({
      ok: true,
      query: { filters: [], orderBy: '-created_at' },
    });
  });

  it('refuses an ordering by an unknown attribute, suggesting the nearest', () => {
    const check = checkListQuery([], '-created');
    expect(check.ok ? '' : check.problem).toContain('did you mean -created_at?');
  });
});
