import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';

export const version: Command<Record<string, never>> = {
  path: ['version'],
  summary: 'print the version',
  positionals: [],
  options: {},
  help: 'Prints the package version, e.g. 0.1.0.\nExit: 0.',
  run: async (_args, io) => {
    const [{ agentVersion }, { println }] = await Promise.all([
      import('../../app/version.js'),
      import('../io.js'),
    ]);
    println(io.stdout, agentVersion());
    return EXIT.ok;
  },
};
