/**
 * One pino JSON line as one line a person reads on a terminal:
 * `12:03:07.412 WARN  sync: sync did not finish trigger=schedule result=failed`.
 * Time is UTC like the JSON's; fields keep pino's redaction, as they are pino's own output. A line
 * that is not a JSON object passes through unchanged.
 */
export function prettyLine(json: string): string {
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record))
    return `${json.trimEnd()}\n`;
  const {
    time,
    level,
    msg,
    component,
    pid: _pid,
    hostname: _hostname,
    ...fields
  } = record as Record<string, unknown>;
  const when =
    typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '--:--:--.---';
  const label = (typeof level === 'string' ? level : '').toUpperCase().padEnd(5);
  const where = typeof component === 'string' ? `${component}: ` : '';
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${shown(value)}`);
  return `${[when, label, `${where}${typeof msg === 'string' ? msg : ''}`, ...rest].join(' ')}\n`;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
