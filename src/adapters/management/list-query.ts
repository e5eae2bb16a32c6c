import { closestName } from './closest-name.js';
import { FILTERS, LOOKUPS, ORDER_FIELDS, type ValueKind } from './filter-catalogue.js';

/** A listing as it will be asked for: documented filters and an ordering, checked. */
export interface ListQuery {
  /** `[parameter, value]`, each sent exactly as given. */
  readonly filters: readonly (readonly [string, string])[];
  /** `order_by` as sent: as given, or `id` when none was. */
  readonly orderBy: string;
}

export type QueryCheck =
  | { readonly ok: true; readonly query: ListQuery }
  | { readonly ok: false; readonly problem: string };

/**
 * `FIELD[__LOOKUP]=VALUE` filters and a `[-]FIELD` ordering, checked against the documented lists
 * before any request: the server would silently ignore a misspelt filter and list everything.
 */
export function checkListQuery(filters: readonly string[], orderBy: string | null): QueryCheck {
  const checked: (readonly [string, string])[] = [];
  for (const filter of filters) {
    const eq = filter.indexOf('=');
    if (eq <= 0) return fail(`--filter wants FIELD[__LOOKUP]=VALUE, got: ${filter}`);
    const name = filter.slice(0, eq);
    const value = filter.slice(eq + 1);
    const kind = FILTERS.get(name);
    if (kind === undefined) return fail(unknownFilter(name));
    if (checked.some(([given]) => given === name)) return fail(`--filter ${name} is given twice`);
    const valueProblem = checkValue(kind, value);
    if (valueProblem !== null) return fail(`--filter ${name}: ${valueProblem}`);
    checked.push([name, value]);
  }
  const order = orderBy ?? 'id';
  const field = order.startsWith('-') ? order.slice(1) : order;
  if (!ORDER_FIELDS.includes(field)) {
    const near = closestName(field, ORDER_FIELDS);
    return fail(
      `--order-by: ${field} is not a licence attribute${near === null ? '' : `; did you mean ${order.startsWith('-') ? '-' : ''}${near}?`}`,
    );
  }
  return { ok: true, query: { filters: checked, orderBy: order } };
}

function fail(problem: string): QueryCheck {
  return { ok: false, problem };
}

/** Names the unknown part: a field with a lookup it does not take, or a field not documented. */
function unknownFilter(name: string): string {
  const lookup = LOOKUPS.find((l) => name.endsWith(`__${l}`));
  const field = lookup === undefined ? name : name.slice(0, -(lookup.length + 2));
  const forms = [...FILTERS.keys()].filter((f) => f === field || f.startsWith(`${field}__`));
  if (forms.length > 0) {
    return `--filter ${field} does not take __${lookup ?? ''}; documented: ${forms.join(', ')}`;
  }
  const near = closestName(name, FILTERS.keys());
  return `unknown filter field ${field}${near === null ? '' : `; did you mean ${near}?`} (docs/management-api.md lists every filter)`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
// What django-filter's boolean fields accept.
const BOOLEAN = /^(?:true|false|True|False|1|0)$/;

function checkValue(kind: ValueKind, value: string): string | null {
  switch (kind) {
    case 'text':
      return value === '' ? 'the value is empty' : null;
    case 'integer':
      return /^\d+$/.test(value) ? null : `${value} is not an ID (digits only)`;
    case 'boolean':
      return BOOLEAN.test(value) ? null : `${value} is not true or false`;
    case 'date':
      return DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : `${value} is not a date (YYYY-MM-DD)`;
    case 'date-time':
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')))
        ? null
        : `${value} is not a date or ISO 8601 date-time`;
    case 'list':
      return value.split(',').every((item) => item !== '')
        ? null
        : `${value} is not a comma-separated list`;
    default: {
      const never: never = kind;
      return never;
    }
  }
}
