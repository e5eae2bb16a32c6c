import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_FOR_CLIENT_ERROR } from '../../src/cli/exit-codes.js';
import { COMMANDS } from '../../src/cli/registry.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/cli.md', import.meta.url)), 'utf8');

/** The text under `### \`edge-license-agent <name>...\``, up to the next heading. */
function section(name: string): string | undefined {
  const parts = doc.split(/^### /m);
  return parts.find((part) => new RegExp(`^\`edge-license-agent ${name}( [<[]|\`)`).test(part));
}

describe('docs/cli.md keeps up with the code', () => {
  it.each(COMMANDS.map((c) => [c.path.join(' '), c] as const))(
    'documents `%s` in a section of its own, with each of its options',
    (name, command) => {
      const text = section(name);
      expect(text, `no "### \`edge-license-agent ${name}\`" section`).toBeDefined();
      for (const option of Object.keys(command.options)) {
        expect(text, `--${option} of ${name}`).toContain(`--${option}`);
      }
    },
  );

  it.each(Object.entries(EXIT))('has exit code %s (%i) in its table', (name, code) => {
    expect(doc).toMatch(new RegExp(`^\\| ${String(code)} +\\| \`${name}\` +\\|`, 'm'));
  });

  it('names every client error code the exit table maps', () => {
    for (const code of Object.keys(EXIT_FOR_CLIENT_ERROR)) expect(doc).toContain(`\`${code}\``);
  });
});
