import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/registry.js';

const commandsDir = fileURLToPath(new URL('../../src/cli/commands/', import.meta.url));

describe('the command registry', () => {
  it('names each command once', () => {
    const names = COMMANDS.map((c) => c.path.join(' '));
    expect(new Set(names).size).toBe(names.length);
  });

  it('stays light: a command file imports only metadata statically, and its work on run', () => {
    for (const file of readdirSync(commandsDir)) {
      const source = readFileSync(`${commandsDir}${file}`, 'utf8');
      const staticImports = [...source.matchAll(/^import\b[^;]*?'([^']+)'/gm)].map((m) => m[1]);
      expect(staticImports, file).toEqual(
        staticImports.filter((from) => from === '../command.js' || from === '../exit-codes.js'),
      );
    }
  });
});
