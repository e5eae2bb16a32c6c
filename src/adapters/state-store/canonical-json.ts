/**
 * JSON with object keys sorted at every depth and no whitespace, so that the same data always
 * gives the same text: the MAC is computed over this, once from the state being saved and once
 * from the file as parsed, and the two must agree however the file happens to be laid out.
 * Arrays keep their order (it is meaningful); `undefined` members are left out as JSON.stringify
 * does. Only plain JSON data is expected: our own state, or what JSON.parse returned.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Readonly<Record<string, unknown>>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      // Default sort: by UTF-16 code units, the same on every machine and in every locale.
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new TypeError(`not JSON data: ${typeof value}`);
  return text;
}
