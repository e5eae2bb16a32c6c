import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the built CLI', () => {
  it('ships a source map beside every chunk, pointing at the TypeScript sources', () => {
    const files = readdirSync('dist/bin');
    const chunks = files.filter((f) => f.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(files).toContain(`${chunk}.map`);
      const map = JSON.parse(readFileSync(`dist/bin/${chunk}.map`, 'utf8')) as {
        sources: string[];
      };
      for (const source of map.sources) expect(source).not.toMatch(/dist\/src\/.*\.js$/);
    }
  });
});
