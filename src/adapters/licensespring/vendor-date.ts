/**
 * The vendor writes instants as ISO 8601 in UTC, sometimes without a zone (`2024-09-27 23:30`) and
 * sometimes as a bare date (`2023-12-20`). JavaScript would read a zone-less time as local time;
 * the vendor means UTC, so UTC it is. A bare date is the start of that day in UTC.
 */
export function parseVendorInstant(text: string): number | null {
  const trimmed = text.trim();
  let iso = trimmed;
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) iso = `${trimmed}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed)) {
    iso = `${trimmed.replace(' ', 'T')}Z`;
  }
  const value = Date.parse(iso);
  return Number.isNaN(value) ? null : value;
}

/** An HTTP `Date` or `Retry-After` date (RFC 7231 IMF-fixdate); null when absent or invalid. */
export function parseHttpDate(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  const value = Date.parse(text);
  return Number.isNaN(value) ? null : value;
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | undefined, now: number): number | null {
  if (header === undefined) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = parseHttpDate(trimmed);
  return at === null ? null : Math.max(0, at - now);
}
