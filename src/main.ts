#!/usr/bin/env node
// Node opens its inspector on SIGUSR1 unless someone listens for it, and nobody may get a debugger
// inside the agent: listen before anything else loads. `run` answers SIGUSR1 itself (sync now).
process.on('SIGUSR1', () => undefined);

const { runCli } = await import('./cli/cli.js');
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
