import type { Command } from '../command.js';

export const help: Command<Record<string, never>> = {
  path: ['help'],
  summary: "print this usage, or a command's help",
  positionals: [{ name: 'command', required: false, many: true }],
  options: {},
  help: `\`help\` alone prints the list of commands; \`help <command>\` prints what
\`<command> --help\` does.
Exit: 0; 64 for a command that does not exist.`,
  run: async (args, io) => (await import('../help-command.js')).helpCommand(args.positionals, io),
};
