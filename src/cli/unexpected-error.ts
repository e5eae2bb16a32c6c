import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `    at fn (file:///…/dist/bin/chunk-X.js:1:2345)` or `    at file:///…:1:2345`. */
const FRAME = /^(\s+at (?:.*?\()?)(file:\/\/\/[^()]+?|\/[^():]+?):(\d+):(\d+)(\)?)$/;

/**
 * An error the agent did not expect, for stderr: its stack with each bundled frame mapped back to
 * the TypeScript source it came from, so that a report from a device names `src/…ts:line`.
 * Node's --enable-source-maps would do this for every error, at the price of reading and keeping
 * megabytes of maps at every start; here a map is read only when an error needs it.
 */
export function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const maps = new Map<string, SourceMap | null>();
  return (error.stack ?? `${error.name}: ${error.message}`)
    .split('\n')
    .map((line) => mapFrame(line, maps))
    .join('\n');
}

function mapFrame(line: string, maps: Map<string, SourceMap | null>): string {
  const frame = FRAME.exec(line);
  if (frame === null) return line;
  const [, before = '', location = '', row = '', column = '', after = ''] = frame;
  const file = location.startsWith('file://') ? fileURLToPath(location) : location;
  let map = maps.get(file);
  if (map === undefined) {
    map = readMap(file);
    maps.set(file, map);
  }
  if (map === null) return line;
  const entry: Partial<{ originalSource: string; originalLine: number; originalColumn: number }> =
    map.findEntry(Number(row) - 1, Number(column) - 1);
  if (entry.originalSource === undefined || entry.originalLine === undefined) return line;
  const source = resolve(dirname(file), entry.originalSource);
  return `${before}${source}:${String(entry.originalLine + 1)}:${String((entry.originalColumn ?? 0) + 1)}${after}`;
}

function readMap(file: string): SourceMap | null {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload);
  } catch {
    // No map beside it (Node's own files, a stripped install): the frame stays as it is.
    return null;
  }
}
