import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { describeUnexpected } from '../../src/cli/unexpected-error.js';

/** Bundles, minified and with a linked map as build.mjs does, a module whose `boom` throws. */
async function bundledThrower(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'ela-sourcemap-'));
  writeFileSync(
    join(dir, 'boom.ts'),
    ['// line 1', 'export function boom(): void {', "  throw new Error('boom');", '}', ''].join(
      '\n',
    ),
  );
  await build({
    entryPoints: [join(dir, 'boom.ts')],
    outfile: join(dir, 'out', 'boom.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    minify: true,
    sourcemap: true,
    logLevel: 'silent',
  });
  const module = (await import(pathToFileURL(join(dir, 'out', 'boom.js')).href)) as {
    boom: () => void;
  };
  return module.boom;
}

describe('an error the agent did not expect', () => {
  it('is reported with its bundled frames mapped back to the TypeScript source line', async () => {
    const boom = await bundledThrower();
    let thrown: unknown;
    try {
      boom();
    } catch (error) {
      thrown = error;
    }
    const text = describeUnexpected(thrown);
    expect(text).toMatch(/^Error: boom$/m);
    expect(text).toMatch(/boom\.ts:3:\d+\)?$/m);
    expect(text).not.toMatch(/out\/boom\.js:/);
  });

  it('keeps frames it has no map for as they were', () => {
    const error = new Error('plain');
    error.stack = 'Error: plain\n    at f (/nowhere/file.js:1:2)';
    expect(describeUnexpected(error)).toBe(error.stack);
  });
});
