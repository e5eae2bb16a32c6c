import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { configSchema } from '../../src/config/schema.js';

const REFERENCE = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

type Schema = z.core.$ZodType;

/** Wrappers that change how a key is given, not which keys there are. */
const WRAPPERS = new Set(['default', 'prefault', 'nullable', 'optional']);

/**
 * `{ value | file | credential }` (or `{ file | credential }` where the config itself may not hold
 * it): documented once, under Secrets, not beneath every key using it.
 */
function isSecret(schema: Schema): boolean {
  const def = schema._zod.def;
  if (def.type !== 'object') return false;
  const keys = Object.keys((def as z.core.$ZodObjectDef).shape).sort();
  return keys.join() === 'credential,file,value' || keys.join() === 'credential,file';
}

interface Keys {
  /** Keys a person sets: the table must have a row for each. */
  readonly leaves: Set<string>;
  /** Every path that exists, objects included (`http.socket`), which a row may also name. */
  readonly all: Set<string>;
}

/** Walks the schema as zod 4 exposes it (`_zod.def`), through wrappers and both auth methods. */
function walk(schema: Schema, path: string, keys: Keys): void {
  const def = schema._zod.def;
  if (WRAPPERS.has(def.type)) {
    walk((def as z.core.$ZodDefaultDef).innerType, path, keys);
    return;
  }
  if (path !== '') keys.all.add(path);
  if (def.type === 'object' && !isSecret(schema)) {
    for (const [key, child] of Object.entries((def as z.core.$ZodObjectDef).shape)) {
      walk(child, path === '' ? key : `${path}.${key}`, keys);
    }
    return;
  }
  if (def.type === 'union') {
    for (const option of (def as z.core.$ZodUnionDef).options) walk(option, path, keys);
    return;
  }
  keys.leaves.add(path);
}

function schemaKeys(): Keys {
  const keys: Keys = { leaves: new Set(), all: new Set() };
  walk(configSchema, '', keys);
  return keys;
}

/** The first cell of every row of the table headed `| key | default | meaning |`. */
function documentedKeys(markdown: string): string[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) =>
    /^\|\s*key\s*\|\s*default\s*\|\s*meaning\s*\|/.test(line),
  );
  if (header === -1)
    throw new Error('docs/configuration.md has no | key | default | meaning | table');
  const rows: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.split('|')[1]?.trim() ?? '';
    const key = /^`([^`]+)`$/.exec(cell);
    if (key?.[1] === undefined) throw new Error(`a row's key is not one \`key\`: ${line}`);
    rows.push(key[1]);
  }
  return rows;
}

describe('docs/configuration.md', () => {
  const documented = documentedKeys(readFileSync(REFERENCE, 'utf8'));
  const { leaves, all } = schemaKeys();

  it('finds the keys it compares on both sides', () => {
    // A walk that found nothing, or a table that parsed to nothing, would pass everything below.
    expect(leaves.has('sync.splaySeconds')).toBe(true);
    expect(leaves.has('licensespring.auth.tokenUrl')).toBe(true);
    expect(leaves.has('http.token')).toBe(true);
    expect(documented).toContain('stateDirectory');
  });

  it('documents every key of the config schema', () => {
    const missing = [...leaves].filter((key) => !documented.includes(key));
    expect(missing).toEqual([]);
  });

  it('documents no key the config schema does not have', () => {
    const unknown = documented.filter((key) => !all.has(key));
    expect(unknown).toEqual([]);
  });

  it('documents each key once', () => {
    const twice = documented.filter((key, i) => documented.indexOf(key) !== i);
    expect(twice).toEqual([]);
  });
});
